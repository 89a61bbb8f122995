package monitor

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"gonut/config"
	"gonut/nutclient"
)

// netConn is a Conn over NUT's network protocol.
type netConn struct {
	c   *nutclient.Client
	ups string
}

// DialUpsd connects to the upsd of a MONITOR line and logs in as upsmon
// does: USERNAME, PASSWORD, LOGIN <ups>, and PRIMARY (or the old MASTER)
// for a primary.
func DialUpsd(ctx context.Context, m config.Monitor) (Conn, error) {
	addr := net.JoinHostPort(m.Host, strconv.Itoa(m.Port))
	c, err := nutclient.Dial(ctx, addr, nutclient.Options{Timeout: 10 * time.Second})
	if err != nil {
		return nil, err
	}
	fail := func(what string, err error) (Conn, error) {
		c.Close()
		return nil, fmt.Errorf("%s: %s", what, nutclient.Message(err))
	}
	if err := c.Login(ctx, m.User, m.Password); err != nil {
		return fail("authentication", err)
	}
	if _, err := c.Do(ctx, "LOGIN "+m.UPS); err != nil && !nutclient.IsCode(err, "ALREADY-LOGGED-IN") {
		return fail("LOGIN "+m.UPS, err)
	}
	if m.IsPrimary() {
		if _, err := c.Do(ctx, "PRIMARY "+m.UPS); err != nil {
			if _, err2 := c.Do(ctx, "MASTER "+m.UPS); err2 != nil {
				return fail("primary managerial privileges unavailable on "+m.UPS, err)
			}
		}
	}
	return &netConn{c: c, ups: m.UPS}, nil
}

func (n *netConn) Status(ctx context.Context) (string, string, error) {
	s, err := n.c.GetVar(ctx, n.ups, "ups.status")
	if err != nil {
		return "", "", err
	}
	alarm := ""
	if strings.Contains(" "+s+" ", " ALARM ") {
		alarm, _ = n.c.GetVar(ctx, n.ups, "ups.alarm")
	}
	return s, alarm, nil
}

func (n *netConn) SetFSD(ctx context.Context) error {
	_, err := n.c.Do(ctx, "FSD "+n.ups)
	return err
}

func (n *netConn) NumLogins(ctx context.Context) (int, error) {
	w, err := n.c.Do(ctx, "GET NUMLOGINS "+n.ups)
	if err != nil {
		return 0, err
	}
	if len(w) < 3 {
		return 0, fmt.Errorf("unexpected answer %q", strings.Join(w, " "))
	}
	return strconv.Atoi(w[2])
}

func (n *netConn) Changed() <-chan struct{} { return nil }

func (n *netConn) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	return n.c.Logout(ctx)
}
