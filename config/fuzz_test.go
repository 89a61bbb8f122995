package config

import (
	"strings"
	"testing"
)

func TestBadHeaderDoesNotTouchThePreviousSection(t *testing.T) {
	c, errs := ParseUPSConf("u", strings.NewReader("[a]\ndriver = x\nport = p\n[b c]\ndriver = y\n[d]\ndriver = z\nport = q\n"))
	if c.Find("a").Driver != "x" || c.Find("d").Driver != "z" || len(c.UPS) != 2 {
		t.Fatalf("sections: %+v", c.UPS)
	}
	if !strings.Contains(msgs(errs), "u:5: driver skipped: it belongs to the malformed section at line 4") {
		t.Fatalf("errors: %v", errs)
	}
}

var seeds = []string{
	"[a]\ndriver = d\nport = \"p\"\n", "MONITOR a@b:1 1 u p primary\n", "LISTEN ::1 3493\n",
	"AT ONBATT * START-TIMER t 1\n", "MODE='x'\n", "[u]\nactions = SET\n", "\"#", "a = \\\n b", "[", "=",
}

func fuzzRoundTrip[T formatter](f *testing.F, parse func(string, *strings.Reader) (T, []error)) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		roundTrip(t, "fuzz", p(parse), src)
	})
}

func FuzzUPSConf(f *testing.F) {
	fuzzRoundTrip(f, func(n string, r *strings.Reader) (*UPSConf, []error) { return ParseUPSConf(n, r) })
}
func FuzzUpsdConf(f *testing.F) {
	fuzzRoundTrip(f, func(n string, r *strings.Reader) (*UpsdConf, []error) { return ParseUpsdConf(n, r) })
}
func FuzzUsers(f *testing.F) {
	fuzzRoundTrip(f, func(n string, r *strings.Reader) (*Users, []error) { return ParseUsers(n, r) })
}
func FuzzUpsmonConf(f *testing.F) {
	fuzzRoundTrip(f, func(n string, r *strings.Reader) (*UpsmonConf, []error) { return ParseUpsmonConf(n, r) })
}
func FuzzUpsschedConf(f *testing.F) {
	fuzzRoundTrip(f, func(n string, r *strings.Reader) (*UpsschedConf, []error) { return ParseUpsschedConf(n, r) })
}
func FuzzNutConf(f *testing.F) {
	fuzzRoundTrip(f, func(n string, r *strings.Reader) (*NutConf, []error) { return ParseNutConf(n, r) })
}

func TestSectionNamesRoundTrip(t *testing.T) {
	for _, name := range []string{`a\b`, `q"x`, "h#sh"} {
		c := &UPSConf{UPS: []*UPS{{Name: name, Settings: []Setting{{Key: "driver", Value: "d"}, {Key: "port", Value: "p"}}}}}
		back, errs := ParseUPSConf("u", strings.NewReader(c.Format()))
		if len(errs) > 0 || len(back.UPS) != 1 || back.UPS[0].Name != name {
			t.Errorf("section %q: %v %+v\n%s", name, errs, back.UPS, c.Format())
		}
	}
}
