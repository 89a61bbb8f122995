package dummyups

import (
	"strings"
	"testing"
	"time"
)

func TestParseScript(t *testing.T) {
	src := `# a power failure
ups.status: OL
ups.mfr: "Acme Power Co."
battery.charge:    100
driver.name: not-ours
TIMER 5
ups.status: OB DISCHRG
ALARM Replace battery!
ALARM
TIMER soon
ups.serial: AB:CD:EF
: nothing
TIMER 2.5
`
	steps, errs := parseScript("x.seq", strings.NewReader(src))
	var got []string
	for _, s := range steps {
		switch {
		case s.isTmr:
			got = append(got, "TIMER "+s.timer.String())
		case s.alarm:
			got = append(got, "ALARM "+s.value)
		default:
			got = append(got, s.name+"="+s.value)
		}
	}
	want := []string{"ups.status=OL", "ups.mfr=Acme Power Co.", "battery.charge=100", "TIMER 5s",
		"ups.status=OB DISCHRG", "ALARM Replace battery!", "ALARM ", "TIMER 0s", "ups.serial=AB:CD:EF", "TIMER 2s"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("steps:\n%q\nwant\n%q", got, want)
	}
	// As NUT's atoi reads them, with a word each.
	if len(errs) != 3 || !strings.Contains(errs[0].Error(), "x.seq:10: TIMER \"soon\": read as 0") || !strings.Contains(errs[1].Error(), "x.seq:12:") ||
		!strings.Contains(errs[2].Error(), "x.seq:13: TIMER \"2.5\": read as 2") {
		t.Fatalf("errors: %v", errs)
	}
}

func TestPlayer(t *testing.T) {
	steps, _ := parseScript("s", strings.NewReader("a: 1\nTIMER 2\nb: 2\n"))
	p := newPlayer(steps)
	var seen []string
	apply := func(s step) { seen = append(seen, s.name) }
	if wait, ended := p.run(apply); wait != 2*time.Second || ended {
		t.Fatalf("first run: %v %v", wait, ended)
	}
	if _, ended := p.run(apply); !ended || !p.atStart() {
		t.Fatal("second run did not end the pass")
	}
	p.run(apply)
	if strings.Join(seen, ",") != "a,b,a" {
		t.Fatalf("applied %q", seen)
	}
}

func FuzzParseScript(f *testing.F) {
	for _, s := range []string{"ups.status: OL\nTIMER 1\n", "ALARM x y\n", "TIMER\n", "a: \"b # c\"\n", ":\n", "driver.x: 1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		steps, _ := parseScript("fuzz.dev", strings.NewReader(src))
		lines := strings.Count(src, "\n") + 1
		for _, s := range steps {
			if s.line < 1 || s.line > lines {
				t.Fatalf("step at line %d of %d", s.line, lines)
			}
			if s.timer < 0 {
				t.Fatalf("negative timer")
			}
		}
		p := newPlayer(steps)
		for i := 0; i <= len(steps)+1; i++ {
			p.run(func(step) {})
		}
	})
}
