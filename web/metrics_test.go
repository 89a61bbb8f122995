package web

import (
	"math"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// sampleLine is a line of Prometheus' text format that we write: a name,
// labels with quoted and escaped values, a number.
var (
	sampleLine = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*\{([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*",?)*\} \S+$`)
	commentRe  = regexp.MustCompile(`^# (HELP [a-zA-Z_][a-zA-Z0-9_]* [^\n]*|TYPE [a-zA-Z_][a-zA-Z0-9_]* gauge)$`)
)

// FuzzMetrics: whatever names and values upsd sends (it relays what
// drivers say), the metrics stay well-formed: every line a comment or a
// sample of the text format, each family's samples together, no value
// that is not a number.
func FuzzMetrics(f *testing.F) {
	f.Add("ups.status", "OL CHRG", "battery.charge", "100", "a")
	f.Add("device.model", "Smart \"UPS\"\n\\", "ups.beeper.status", "enabled", "x\"y")
	f.Add("input-voltage.é", "1e400", "x", "NaN", "")
	f.Fuzz(func(t *testing.T, n1, v1, n2, v2, key string) {
		var b strings.Builder
		WriteMetrics(&b, []UPS{{Key: key, Vars: [][2]string{{n1, v1}, {n2, v2}, {"ups.status", v1}}}, {Key: key + "2", Err: "Data stale"}}, func(n string) string { return n1 + "\n" + v2 })
		seen := map[string]bool{}
		last := ""
		for _, l := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") {
			if strings.HasPrefix(l, "#") {
				if !commentRe.MatchString(l) {
					t.Fatalf("bad comment %q", l)
				}
				continue
			}
			if !utf8.ValidString(l) {
				t.Fatalf("not UTF-8: %q", l)
			}
			if !sampleLine.MatchString(l) {
				t.Fatalf("bad sample %q", l)
			}
			name := l[:strings.IndexByte(l, '{')]
			if name != last && seen[name] {
				t.Fatalf("%s's samples are not together:\n%s", name, b.String())
			}
			seen[name], last = true, name
		}
	})
}

// The history keeps one sample per step (the last value seen in it), at
// most Keep samples, and NaN where the data was stale.
func TestHistory(t *testing.T) {
	s := NewStore(10*time.Second, time.Minute) // 6 samples
	t0 := time.Unix(1e9, 0)
	for i := 0; i < 100; i++ {
		vars := [][2]string{{"battery.charge", string(rune('0' + i%10))}}
		errMsg := ""
		if i == 99 {
			errMsg = "Data stale"
		}
		s.Update("u", "", "u", vars, errMsg, t0.Add(time.Duration(i)*time.Second))
	}
	u, _ := s.Get("u")
	if len(u.History) != 6 {
		t.Fatalf("%d samples, want 6", len(u.History))
	}
	for i := 1; i < len(u.History); i++ {
		if a, b := u.History[i-1].T, u.History[i].T; a.Truncate(10 * time.Second).Equal(b.Truncate(10 * time.Second)) {
			t.Errorf("samples %d and %d (%v, %v) in the same 10 s", i-1, i, a, b)
		}
	}
	if last := u.History[len(u.History)-1]; !math.IsNaN(last.V[0]) {
		t.Errorf("stale data sampled as %v", last.V[0])
	}
	if u.State() != "stale" || u.Var("battery.charge") != "8" {
		t.Errorf("state %q, charge %q: want stale, and the last values kept", u.State(), u.Var("battery.charge"))
	}
}

// The page's state word and runtime, from what upsd says.
func TestView(t *testing.T) {
	for _, c := range []struct{ status, runtime, err, state, rt string }{
		{"OL CHRG", "95", "", "OL", "1 min 35 s"},
		{"OB DISCHRG", "2400.7", "", "OB", "40 min 0 s"},
		{"OB LB", "x", "", "LB", "–"},
		{"FSD OB LB", "", "", "FSD", "–"},
		{"OL", "10", "Data stale", "stale", "0 min 10 s"},
		{"BYPASS", "", "", "BYPASS", "–"},
		{"", "-5", "", "unknown", "–"},
	} {
		u := UPS{Vars: [][2]string{{"ups.status", c.status}, {"battery.runtime", c.runtime}}, Err: c.err}
		if v := view(&u); v.State != c.state || v.Runtime != c.rt {
			t.Errorf("%q %q %q: state %q runtime %q, want %q %q", c.status, c.runtime, c.err, v.State, v.Runtime, c.state, c.rt)
		}
	}
}
