package config

import (
	"io"
	"reflect"
	"strings"
	"testing"
)

// msgs returns the problems' texts, one per line.
func msgs(errs []error) string {
	var s []string
	for _, e := range errs {
		s = append(s, e.Error())
	}
	return strings.Join(s, "\n")
}

// wantProblems checks the exact list of problems.
func wantProblems(t *testing.T, errs []error, want ...string) {
	t.Helper()
	if got, w := msgs(errs), strings.Join(want, "\n"); got != w {
		t.Errorf("problems:\n%s\nwant:\n%s", got, w)
	}
}

// parser adapts a Parse function to a string input.
type parser[T any] func(file string, r io.Reader) (T, []error)

func (p parser[T]) str(file, src string) (T, []error) { return p(file, strings.NewReader(src)) }

type formatter interface{ Format() string }

// zeroLines clears line numbers and file names, which formatting changes, and the
// problems of upssched.conf's AT lines, which name the file and line.
func zeroLines(v any) any {
	switch c := v.(type) {
	case *UPSConf:
		for i := range c.Globals {
			c.Globals[i].Line = 0
		}
		for _, u := range c.UPS {
			u.Line, u.EndLine, u.File = 0, 0, ""
			for i := range u.Settings {
				u.Settings[i].Line = 0
			}
		}
	case *Users:
		for _, u := range c.Users {
			u.Line = 0
		}
	case *UpsmonConf:
		for i := range c.Monitors {
			c.Monitors[i].Line = 0
		}
	case *UpsschedConf:
		for i := range c.At {
			c.At[i].Line, c.At[i].Problems = 0, nil
		}
	case *NutConf:
		for i := range c.Settings {
			c.Settings[i].Line = 0
		}
	}
	return v
}

// roundTrip checks that a value read without errors, formatted and read
// again, reads without errors to the same value. It returns false when
// the input itself has errors (nothing to check).
func roundTrip[T formatter](t *testing.T, parse parser[T], src string) bool {
	t.Helper()
	a, errs := parse.str("in", src)
	if len(Fatal(errs)) > 0 {
		return false
	}
	text := a.Format()
	b, errs := parse.str("out", text)
	if len(Fatal(errs)) > 0 {
		t.Fatalf("formatted output does not read back: %v\ninput:\n%q\noutput:\n%s", msgs(errs), src, text)
	}
	if !reflect.DeepEqual(zeroLines(a), zeroLines(b)) {
		t.Fatalf("round trip changed the value\nfirst:  %#v\nsecond: %#v\ninput:\n%q\noutput:\n%s", a, b, src, text)
	}
	return true
}
