package genericups

import "testing"

func TestParseSignals(t *testing.T) {
	for _, c := range []struct {
		value string
		out   int
		ok    bool
	}{
		{"DTR", DTR, true}, {"RTS DTR", DTR | RTS, true}, {"DTR+RTS", DTR | RTS, true}, {"-DTR RTS", RTS, true},
		{"ST", ST, true}, {"none", 0, true}, {"NULL", 0, true}, {"DTR none", 0, true},
		{"CTS", 0, false}, {"DTRX", 0, false}, {"", 0, false}, {"dtr", 0, false},
	} {
		got, err := parseOutput("CP", c.value)
		if got != c.out || (err == nil) != c.ok {
			t.Errorf("parseOutput(%q) = %#x, %v; want %#x, ok %v", c.value, got, err, c.out, c.ok)
		}
	}
	for _, c := range []struct {
		value string
		want  signal
		ok    bool
	}{
		{"CTS", signal{CTS, CTS}, true}, {"-CTS", signal{CTS, 0}, true}, {"DCD -RNG", signal{DCD | RNG, DCD}, true},
		{"DSR", signal{DSR, DSR}, true}, {"NULL", signal{}, true},
		{"DTR", signal{}, false}, {"ST", signal{}, false}, {"CTS_", signal{}, false},
	} {
		got, err := parseInput("OL", c.value)
		if got != c.want || (err == nil) != c.ok {
			t.Errorf("parseInput(%q) = %+v, %v; want %+v, ok %v", c.value, got, err, c.want, c.ok)
		}
	}
}

// An override never panics, and what it gives is lines of its kind.
func FuzzParseSignals(f *testing.F) {
	for _, s := range []string{"DTR", "-RTS DTR", "CTS", "none", "-DCD,RNG", "DSR|CTS", "+-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if out, err := parseOutput("SD", s); err == nil && out&^(DTR|RTS|ST) != 0 {
			t.Errorf("parseOutput(%q) = %#x", s, out)
		}
		if in, err := parseInput("LB", s); err == nil && (in.mask&^(CTS|DCD|RNG|DSR) != 0 || in.want&^in.mask != 0) {
			t.Errorf("parseInput(%q) = %+v", s, in)
		}
	})
}
