package server_test

import (
	"context"
	"crypto/tls"
	"strconv"
	"strings"
	"testing"
	"time"

	"gonut/internal/nuttest"
	"gonut/nutclient"
	"gonut/nutclient/nuttls"
)

// STARTTLS with the CERTFILE of upsd.conf; a reload picks up a renewed
// certificate.
func TestStartTLS(t *testing.T) {
	certPEM, pool := nuttest.SelfSigned(t, 1)
	s, upsd := stackWithA(t, map[string]string{"upsd.pem": certPEM})
	s.WriteFile("upsd.conf", "LISTEN 127.0.0.1 "+itoa(s.Port)+"\nCERTFILE "+s.Dir+"/upsd.pem\n")
	s.Start(upsd, "-u", "root", "-F")
	waitReady(t, s.HostPort(), "a")

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c, err := nuttls.Dial(ctx, s.HostPort(), nutclient.Options{}, &tls.Config{RootCAs: pool, ServerName: "localhost"})
	if err != nil {
		t.Fatalf("STARTTLS: %v", err)
	}
	if v, err := c.GetVar(ctx, "a", "battery.charge"); err != nil || v != "90" {
		t.Fatalf("over TLS: %q %v", v, err)
	}
	if _, err := c.Do(ctx, "STARTTLS"); !nutclient.IsCode(err, "ALREADY-SSL-MODE") {
		t.Fatalf("second STARTTLS: %v", err)
	}
	// A login over TLS is logged as NUT's upsd logs it.
	for _, l := range []string{"USERNAME monuser", "PASSWORD pass", "LOGIN a", "LOGOUT"} {
		if _, err := c.Do(ctx, l); err != nil {
			t.Fatalf("%s: %v", l, err)
		}
	}
	c.Close()
	for _, line := range []string{"User monuser@127.0.0.1 logged into UPS [a] (SSL)\n", "User monuser@127.0.0.1 logged out from UPS [a] (SSL)\n"} {
		nuttest.Eventually(t, "upsd logs "+line, func() (bool, string) {
			log := upsdLog(s)
			return strings.Contains(log, line), log
		})
	}

	// A client that does not trust the certificate fails the handshake.
	if _, err := nuttls.Dial(ctx, s.HostPort(), nutclient.Options{}, &tls.Config{ServerName: "localhost"}); err == nil {
		t.Fatal("untrusted certificate accepted")
	}

	renewed, pool2 := nuttest.SelfSigned(t, 2)
	s.WriteFile("upsd.pem", renewed)
	if _, err := s.Run(upsd, "-c", "reload"); err != nil {
		t.Fatal(err)
	}
	nuttest.Eventually(t, "the renewed certificate is served", func() (bool, string) {
		c, err := nuttls.Dial(ctx, s.HostPort(), nutclient.Options{}, &tls.Config{RootCAs: pool2, ServerName: "localhost"})
		if err != nil {
			return false, err.Error()
		}
		c.Close()
		return true, ""
	})
}

func itoa(n int) string { return strconv.Itoa(n) }
