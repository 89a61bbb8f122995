package server

import (
	"crypto/tls"
	"fmt"
	"net"
	"os"
	"time"
)

// LoadCert reads upsd.conf's CERTFILE: a PEM file holding the server's
// certificate (and chain) and its private key, as NUT's OpenSSL builds
// take it. It is read again at every reload, so a renewed certificate
// takes effect on SIGHUP.
func LoadCert(path string, disableWeak bool) (*tls.Config, error) {
	pem, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	cert, err := tls.X509KeyPair(pem, pem)
	if err != nil {
		return nil, fmt.Errorf("%s: expected a certificate and its private key in PEM: %w", path, err)
	}
	conf := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	if disableWeak {
		conf.MinVersion = tls.VersionTLS13
	}
	return conf, nil
}

// SetTLS sets (or with nil, removes) what STARTTLS uses.
func (s *Server) SetTLS(conf *tls.Config) {
	s.mu.Lock()
	s.tlsConf = conf
	s.mu.Unlock()
}

// tlsFor is what STARTTLS on c starts with; nil after answering NUT's
// error when it cannot start: TLS is on already, not configured, or
// plain text came after STARTTLS (pending), which would be read as TLS.
// Arguments are ignored, as NUT's upsd ignores them.
func (s *Server) tlsFor(c *client, pending bool) *tls.Config {
	s.mu.RLock()
	conf := s.tlsConf
	s.mu.RUnlock()
	switch {
	case c.tls:
		c.err("ALREADY-SSL-MODE")
	case conf == nil:
		c.err("FEATURE-NOT-CONFIGURED")
	case pending:
		c.err("INVALID-ARGUMENT")
	default:
		return conf
	}
	return nil
}

// handshakeTimeout is how long a client has to finish its TLS handshake.
const handshakeTimeout = 30 * time.Second

// startTLS answers OK to STARTTLS and makes the handshake; nil when it
// failed (the connection then ends).
func (g *goConn) startTLS(conf *tls.Config) net.Conn {
	g.c.send("OK STARTTLS")
	if g.flush() != nil {
		return nil
	}
	tc := tls.Server(g.conn, conf)
	tc.SetDeadline(time.Now().Add(handshakeTimeout))
	if err := tc.Handshake(); err != nil {
		g.s.log.Info("TLS handshake failed", "addr", g.c.addr, "error", err)
		return nil
	}
	tc.SetDeadline(time.Time{})
	return tc
}
