package monitor

import (
	"os"
	"path/filepath"
	"testing"

	"gonut/config"
	"gonut/internal/nuttest"
)

// TLS settings per upsd: CERTFILE gives upsmon its certificate, CERTHOST
// overrides verification and FORCESSL for its host, CERTVERIFY needs
// CERTPATH.
func TestTLSFor(t *testing.T) {
	dir := t.TempDir()
	pem, _ := nuttest.SelfSigned(t, 1)
	cert := filepath.Join(dir, "me.pem")
	os.WriteFile(cert, []byte(pem), 0o600)
	conf := config.DefaultUpsmonConf()
	conf.CertFile = cert
	conf.CertHosts = []config.CertHost{{Host: "ups.example", CertName: "upsd.example", CertVerify: false, ForceSSL: true}}
	m := config.Monitor{Host: "ups.example", Port: 3493}
	tc, force, err := tlsFor(conf, m)
	if err != nil {
		t.Fatal(err)
	}
	if len(tc.Certificates) != 1 || !force || !tc.InsecureSkipVerify || tc.ServerName != "upsd.example" {
		t.Fatalf("CERTHOST and CERTFILE not applied: force %v, %+v", force, tc)
	}
	conf.CertFile = filepath.Join(dir, "missing.pem")
	if _, _, err := tlsFor(conf, m); err == nil {
		t.Fatal("a missing CERTFILE was accepted")
	}
	conf.CertFile, conf.CertVerify, conf.CertHosts = "", true, nil
	if _, _, err := tlsFor(conf, m); err == nil {
		t.Fatal("CERTVERIFY without CERTPATH was accepted")
	}
}
