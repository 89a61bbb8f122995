package snmp

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gosnmp/gosnmp"
)

// Session is what snmp-ups's options say of the agent and how to talk
// to it (NUT's nut_snmp_init).
type Session struct {
	Host      string // host or IP address
	Port      uint16 // 161 unless the port option says host:port
	Version   gosnmp.SnmpVersion
	Community string
	Retries   int
	Timeout   time.Duration // per try
	// SNMPv3
	SecLevel     gosnmp.SnmpV3MsgFlags
	SecName      string
	AuthProtocol gosnmp.SnmpV3AuthProtocol
	AuthPassword string
	PrivProtocol gosnmp.SnmpV3PrivProtocol
	PrivPassword string
}

// Var is one variable an agent answered: its OID and value (gosnmp's
// types).
type Var = gosnmp.SnmpPDU

// ErrNoSuchName is a GET's answer for an OID the agent does not have:
// SNMPv1's noSuchName error, or SNMPv2's noSuchObject/noSuchInstance.
var ErrNoSuchName = errors.New("no such object on the agent")

// ErrAgent is wrapped by the errors the agent itself gave (an error
// status in its answer) as opposed to no answer at all.
var ErrAgent = errors.New("the agent refused")

// Client talks to one agent, one exchange at a time.
type Client struct {
	mu   sync.Mutex
	conn *gosnmp.GoSNMP
	sess Session
}

// Dial opens the UDP socket of a session; nothing is sent yet.
func Dial(s Session) (*Client, error) {
	g := &gosnmp.GoSNMP{
		Target: s.Host, Port: s.Port, Transport: "udp", Community: s.Community, Version: s.Version,
		Timeout: s.Timeout, Retries: s.Retries, MaxOids: gosnmp.MaxOids, Context: context.Background(),
	}
	if s.Version == gosnmp.Version3 {
		g.SecurityModel = gosnmp.UserSecurityModel
		g.MsgFlags = s.SecLevel
		p := &gosnmp.UsmSecurityParameters{UserName: s.SecName, AuthenticationProtocol: gosnmp.NoAuth, PrivacyProtocol: gosnmp.NoPriv}
		if s.SecLevel&gosnmp.AuthNoPriv != 0 {
			p.AuthenticationProtocol, p.AuthenticationPassphrase = s.AuthProtocol, s.AuthPassword
		}
		if s.SecLevel&gosnmp.AuthPriv == gosnmp.AuthPriv {
			p.PrivacyProtocol, p.PrivacyPassphrase = s.PrivProtocol, s.PrivPassword
		}
		g.SecurityParameters = p
	}
	if err := g.Connect(); err != nil {
		return nil, fmt.Errorf("cannot open a socket to %s: %w", net.JoinHostPort(s.Host, strconv.Itoa(int(s.Port))), err)
	}
	return &Client{conn: g, sess: s}, nil
}

// Close closes the socket.
func (c *Client) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.conn.Conn.Close()
}

// Peer names the agent for messages.
func (c *Client) Peer() string {
	return net.JoinHostPort(c.sess.Host, strconv.Itoa(int(c.sess.Port)))
}

// TimeoutError is the error of an exchange the agent never answered.
type TimeoutError struct{ Peer string }

func (e *TimeoutError) Error() string { return "Timeout: no response from " + e.Peer }

func (c *Client) exchange(ctx context.Context, f func(*gosnmp.GoSNMP) (*gosnmp.SnmpPacket, error)) (*gosnmp.SnmpPacket, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c.conn.Context = ctx
	p, err := f(c.conn)
	c.conn.Context = context.Background()
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if strings.Contains(err.Error(), "timeout") {
			return nil, &TimeoutError{c.Peer()}
		}
		if c.sess.Version == gosnmp.Version3 && strings.Contains(err.Error(), "authentic") {
			return nil, fmt.Errorf("%s: SNMPv3 authentication failed (check secName, authPassword and authProtocol): %w", c.Peer(), err)
		}
		var ne net.Error
		if errors.As(err, &ne) {
			return nil, fmt.Errorf("%s: %w", c.Peer(), err)
		}
		return nil, fmt.Errorf("%s answered with no SNMP message this driver can read: %w", c.Peer(), err)
	}
	if p == nil {
		return nil, &TimeoutError{c.Peer()}
	}
	return p, nil
}

// Get reads one OID. An OID the agent does not have is ErrNoSuchName.
func (c *Client) Get(ctx context.Context, oid string) (Var, error) {
	p, err := c.exchange(ctx, func(g *gosnmp.GoSNMP) (*gosnmp.SnmpPacket, error) { return g.Get([]string{oid}) })
	if err != nil {
		return Var{}, err
	}
	return answer(p, oid)
}

// GetNext reads the variable after an OID.
func (c *Client) GetNext(ctx context.Context, oid string) (Var, error) {
	p, err := c.exchange(ctx, func(g *gosnmp.GoSNMP) (*gosnmp.SnmpPacket, error) { return g.GetNext([]string{oid}) })
	if err != nil {
		return Var{}, err
	}
	return answer(p, oid)
}

func answer(p *gosnmp.SnmpPacket, oid string) (Var, error) {
	if p.Error == gosnmp.NoSuchName {
		return Var{}, fmt.Errorf("%s: %w", oid, ErrNoSuchName)
	}
	if p.Error != gosnmp.NoError {
		return Var{}, fmt.Errorf("%s: %w: %s", oid, ErrAgent, p.Error)
	}
	if len(p.Variables) != 1 {
		return Var{}, fmt.Errorf("%s: %w: %d variables in the answer to one", oid, ErrAgent, len(p.Variables))
	}
	v := p.Variables[0]
	switch v.Type {
	case gosnmp.NoSuchObject, gosnmp.NoSuchInstance, gosnmp.EndOfMibView:
		return Var{}, fmt.Errorf("%s: %w", oid, ErrNoSuchName)
	}
	return v, nil
}

// Walk reads the subtree under an OID (GET of the OID itself first, then
// GETNEXT, as NUT's nut_snmp_walk), at most max variables.
func (c *Client) Walk(ctx context.Context, oid string, max int) ([]Var, error) {
	var out []Var
	root := normalOID(oid)
	cur := root
	get := true
	for len(out) < max {
		var v Var
		var err error
		if get {
			v, err = c.Get(ctx, cur)
			get = false
			if errors.Is(err, ErrNoSuchName) {
				v, err = c.GetNext(ctx, cur)
			}
		} else {
			v, err = c.GetNext(ctx, cur)
		}
		if err != nil {
			if errors.Is(err, ErrNoSuchName) {
				break
			}
			return out, err
		}
		name := normalOID(v.Name)
		if name != root && !strings.HasPrefix(name, root+".") {
			break
		}
		if name == cur && len(out) > 0 {
			break // an agent that does not move on
		}
		out = append(out, v)
		cur = name
	}
	return out, nil
}

// Set writes one variable; the agent's refusal is an error wrapping
// ErrAgent.
func (c *Client) Set(ctx context.Context, v Var) error {
	p, err := c.exchange(ctx, func(g *gosnmp.GoSNMP) (*gosnmp.SnmpPacket, error) { return g.Set([]gosnmp.SnmpPDU{v}) })
	if err != nil {
		return err
	}
	if p.Error != gosnmp.NoError {
		return fmt.Errorf("can't set %s: %w: %s", v.Name, ErrAgent, p.Error)
	}
	return nil
}

// normalOID writes an OID with its leading dot.
func normalOID(oid string) string {
	if !strings.HasPrefix(oid, ".") {
		return "." + oid
	}
	return oid
}
