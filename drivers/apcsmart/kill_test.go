package apcsmart_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonut/drivers/apcsmart/apcsim"
	"gonut/internal/nuttest"
)

// killBytes runs a driver's -k on a fresh simulated UPS in state status
// and returns what it sent from its last "YQ" on (smart mode and the
// status read that begin a shutdown), and whether it exited 0.
func killBytes(t *testing.T, bin, extra string, status uint8) (string, int) {
	t.Helper()
	p, u := simPTY(t)
	u.SetStatus(status)
	dir := t.TempDir()
	conf := "[k]\n\tdriver = apcsmart\n\tport = " + p.Path + "\n" + extra
	if err := os.WriteFile(filepath.Join(dir, "ups.conf"), []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	s := &nuttest.Stack{T: t, Dir: dir}
	s.Env = append(os.Environ(), "NUT_CONFPATH="+dir, "NUT_STATEPATH="+dir, "NUT_ALTPIDPATH="+dir)
	_, err := s.Run(bin, "-a", "k", "-k", "-u", "root")
	code := 0
	if err != nil {
		code = 1
	}
	got := string(u.Received())
	if i := strings.LastIndex(got, "YQ"); i >= 0 {
		got = got[i+2:]
	}
	return got, code
}

// -k sends what sdtype or advorder says, as Debian's apcsmart does, but
// for the status: NUT 2.8.0 never reads it (it wants a 1-byte answer to
// Q) and takes every UPS for on battery, so on mains it sends S, which a
// UPS on mains refuses; ours reads it and sends @000 there (sdtype 0).
func TestKillSameAsDebian(t *testing.T) {
	t.Parallel() // mostly waiting on the UPS
	nuttest.NeedDebianNUT(t)
	ours := nuttest.Build(t, "gonut/cmd/apcsmart")
	for _, c := range []struct {
		extra    string
		status   uint8
		deb, our string // both end with R: out of smart mode as they exit
	}{
		{"", apcsim.OB, "SR", "SR"},
		{"\tsdtype = 2\n", apcsim.OL, "ZZR", "ZZR"},
		{"\tsdtype = 3\n", apcsim.OL, "KKR", "KKR"},
		{"\tsdtype = 5\n\tawd = 7\n", apcsim.OL, "@007R", "@007R"},
		{"\tadvorder = 20\n", apcsim.OL, "KKR", "KKR"},
		{"\tadvorder = 02\n", apcsim.OL, "SKKR", "SKKR"},
		{"", apcsim.OL, "SR", "@000R"},
	} {
		d, dcode := killBytes(t, debianAPCSmart, c.extra, c.status)
		o, ocode := killBytes(t, ours, c.extra, c.status)
		if d != c.deb || o != c.our || ocode != 0 {
			t.Errorf("-k with %q, status %02x: Debian's sent %q (exit %d), want %q; ours %q (exit %d), want %q",
				c.extra, c.status, d, dcode, c.deb, o, ocode, c.our)
		}
	}
}
