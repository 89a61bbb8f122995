package monitor

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"gonut/config"
	"gonut/nutclient"
	"gonut/nutclient/nuttls"
)

// netConn is a Conn over NUT's network protocol.
type netConn struct {
	c   *nutclient.Client
	ups string
	// watch is gonut's push feed (WATCH, docs/protocol-notes.md); nil
	// when upsd does not offer it, and upsmon polls.
	watch *nutclient.Watch
}

// NewDialer returns upsmon's way to reach a MONITOR line's upsd, with
// upsmon.conf's TLS settings: STARTTLS is always tried; CERTVERIFY checks
// the server's certificate against the PEM files in CERTPATH (and its
// CERTHOST name); FORCESSL refuses plain text; CERTFILE is upsmon's own
// certificate and key. CERTHOST lines override verification and FORCESSL
// for their host. (CERTIDENT names a certificate in an NSS database: gonut
// reads PEM only, so it is read and not used.)
func NewDialer(conf *config.UpsmonConf) Dialer {
	return func(ctx context.Context, m config.Monitor) (Conn, error) { return dialUpsd(ctx, conf, m) }
}

// tlsFor is the TLS setup for one upsd.
func tlsFor(conf *config.UpsmonConf, m config.Monitor) (tc *tls.Config, force bool, err error) {
	verify, force, name := conf.CertVerify, conf.ForceSSL, m.Host
	for _, h := range conf.CertHosts {
		if h.Host == m.Host || h.Host == net.JoinHostPort(m.Host, strconv.Itoa(m.Port)) || h.Host == m.Host+":"+strconv.Itoa(m.Port) {
			verify, force, name = h.CertVerify, h.ForceSSL, h.CertName
		}
	}
	tc = &tls.Config{ServerName: name, InsecureSkipVerify: !verify, MinVersion: tls.VersionTLS12}
	if conf.CertFile != "" {
		// Our own certificate and key (PEM, one file), for a upsd that
		// asks clients for one.
		pair, err := tls.LoadX509KeyPair(conf.CertFile, conf.CertFile)
		if err != nil {
			return nil, force, fmt.Errorf("CERTFILE %s: %v", conf.CertFile, err)
		}
		tc.Certificates = []tls.Certificate{pair}
	}
	if verify {
		if conf.CertPath == "" {
			return nil, force, fmt.Errorf("CERTVERIFY is set, but CERTPATH isn't")
		}
		pool := x509.NewCertPool()
		files, _ := filepath.Glob(filepath.Join(conf.CertPath, "*"))
		if fi, err := os.Stat(conf.CertPath); err == nil && !fi.IsDir() {
			files = []string{conf.CertPath}
		}
		for _, f := range files {
			if b, err := os.ReadFile(f); err == nil {
				pool.AppendCertsFromPEM(b)
			}
		}
		tc.RootCAs = pool
	}
	return tc, force, nil
}

// dialUpsd connects to the upsd of a MONITOR line and logs in as upsmon
// does: STARTTLS when upsd offers it, USERNAME, PASSWORD, LOGIN <ups>, and
// PRIMARY (or the old MASTER) for a primary.
func dialUpsd(ctx context.Context, conf *config.UpsmonConf, m config.Monitor) (Conn, error) {
	addr := net.JoinHostPort(m.Host, strconv.Itoa(m.Port))
	tc, force, err := tlsFor(conf, m)
	if err != nil {
		return nil, err
	}
	c, err := nutclient.Dial(ctx, addr, nutclient.Options{Timeout: 10 * time.Second})
	if err != nil {
		return nil, err
	}
	if err := nuttls.StartTLS(ctx, c, tc); err != nil {
		// As NUT's upsclient: only a upsd that refuses STARTTLS is talked
		// to in clear (its connection is still usable), and only when
		// neither FORCESSL nor CERTVERIFY asks for TLS. A failed
		// handshake (a certificate we do not trust) is never a reason to
		// go on in clear: that would give the password to whoever
		// answered.
		var ne *nutclient.Error
		refused := errors.As(err, &ne)
		if force || !refused || !tc.InsecureSkipVerify {
			c.Close()
			switch {
			case force:
				return nil, fmt.Errorf("STARTTLS (FORCESSL): %v", err)
			case refused:
				return nil, fmt.Errorf("STARTTLS refused, and CERTVERIFY needs a certificate: %v", nutclient.Message(err))
			}
			return nil, fmt.Errorf("STARTTLS: %v", err)
		}
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
	n := &netConn{c: c, ups: m.UPS}
	if !force {
		// The feed is plain text: with FORCESSL there is none, and upsmon
		// polls.
		n.watch, _ = nutclient.DialWatch(ctx, addr, m.UPS)
	}
	return n, nil
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

func (n *netConn) Changed() <-chan struct{} {
	if n.watch == nil {
		return nil
	}
	return n.watch.C
}

func (n *netConn) Close() error {
	if n.watch != nil {
		n.watch.Close()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	return n.c.Logout(ctx)
}
