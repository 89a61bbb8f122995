package upsname

import (
	"fmt"
	"net"
	"strconv"
	"strings"
)

// DefaultPort is NUT's TCP port, where a name without one points.
const DefaultPort = 3493

// Name is a UPS as clients name it: upsname[@hostname[:port]].
type Name struct {
	UPS  string
	Host string // "localhost" when not given
	Port int    // DefaultPort when not given
}

// Addr is the name's host and port for Dial.
func (n Name) Addr() string { return net.JoinHostPort(n.Host, strconv.Itoa(n.Port)) }

func (n Name) String() string {
	host := n.Host
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	return fmt.Sprintf("%s@%s:%d", n.UPS, host, n.Port)
}

// Parse reads upsname[@hostname[:port]], with IPv6 addresses in
// brackets (ups@[::1]:3493), as NUT's clients do.
func Parse(s string) (Name, error) {
	ups, hostport, hasHost := strings.Cut(s, "@")
	if ups == "" {
		return Name{}, fmt.Errorf("%q: no UPS name before the '@' (expected upsname[@hostname[:port]])", s)
	}
	if !hasHost {
		if strings.Contains(ups, ":") {
			return Name{}, fmt.Errorf("%q: a port, but no hostname (expected upsname@hostname:port)", s)
		}
		return Name{UPS: ups, Host: "localhost", Port: DefaultPort}, nil
	}
	if hostport == "" {
		return Name{}, fmt.Errorf("%q: nothing after the '@' (expected upsname@hostname[:port])", s)
	}
	host, port, err := SplitAddr(hostport)
	if err != nil {
		return Name{}, fmt.Errorf("%q: %v", s, err)
	}
	return Name{UPS: ups, Host: host, Port: port}, nil
}

// SplitAddr reads hostname[:port] or [ipv6][:port].
func SplitAddr(s string) (string, int, error) {
	host, rest := s, ""
	if strings.HasPrefix(s, "[") {
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return "", 0, fmt.Errorf("missing closing bracket in [address]")
		}
		host, rest = s[1:end], s[end+1:]
		if rest != "" && rest[0] != ':' {
			return "", 0, fmt.Errorf("expected :port after [address], got %q", rest)
		}
	} else if i := strings.IndexByte(s, ':'); i >= 0 {
		host, rest = s[:i], s[i:]
	}
	if host == "" {
		return "", 0, fmt.Errorf("empty hostname")
	}
	if rest == "" {
		return host, DefaultPort, nil
	}
	port, err := strconv.Atoi(rest[1:])
	if err != nil || port < 1 || port > 65535 {
		return "", 0, fmt.Errorf("port %q: expected a number from 1 to 65535", rest[1:])
	}
	return host, port, nil
}
