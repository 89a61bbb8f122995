package server

import (
	"crypto/tls"
	"fmt"
	"os"
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
