package genericups

import (
	"fmt"
	"strings"
)

// lineNames are the words of the overrides.
var lineNames = map[string]int{"DTR": DTR, "RTS": RTS, "ST": ST, "CTS": CTS, "DCD": DCD, "RNG": RNG, "DSR": DSR}

// words splits an override into its line names, each with its sign: NUT
// reads any text around them, ours takes names separated by blanks,
// commas, "+" or "|", and refuses anything else.
func words(key, value string) ([]string, error) {
	f := strings.FieldsFunc(value, func(r rune) bool { return r == ' ' || r == '\t' || r == ',' || r == '+' || r == '|' })
	if len(f) == 0 {
		return nil, fmt.Errorf("%s = %q: expected line names (%s), or NULL", key, value, "DTR, RTS, ST, CTS, DCD, RNG, DSR")
	}
	return f, nil
}

// parseOutput reads CP or SD: the output lines to set high (a '-' before
// one leaves it low); NULL or none sets none.
func parseOutput(key, value string) (int, error) {
	ws, err := words(key, value)
	if err != nil {
		return 0, err
	}
	lines := 0
	for _, w := range ws {
		name := strings.TrimPrefix(w, "-")
		if w == "NULL" || w == "none" {
			return 0, nil
		}
		l, ok := lineNames[name]
		switch {
		case !ok:
			return 0, fmt.Errorf("%s = %q: %q is no line (expected DTR, RTS or ST, or NULL)", key, value, w)
		case l&(DTR|RTS|ST) == 0:
			return 0, fmt.Errorf("%s = %q: can't override output with %s (not an output)", key, value, name)
		case name == w:
			lines |= l
		}
	}
	return lines, nil
}

// parseInput reads OL, LB, RB or BYPASS: the input lines whose levels
// make the condition, high unless a '-' comes before; NULL or none
// disables it.
func parseInput(key, value string) (signal, error) {
	ws, err := words(key, value)
	if err != nil {
		return signal{}, err
	}
	var s signal
	for _, w := range ws {
		name := strings.TrimPrefix(w, "-")
		if w == "NULL" || w == "none" {
			return signal{}, nil
		}
		l, ok := lineNames[name]
		switch {
		case !ok:
			return signal{}, fmt.Errorf("%s = %q: %q is no line (expected CTS, DCD, RNG or DSR, or NULL)", key, value, w)
		case l&(CTS|DCD|RNG|DSR) == 0:
			return signal{}, fmt.Errorf("%s = %q: can't override input with %s (not an input)", key, value, name)
		}
		s.mask |= l
		if name == w {
			s.want |= l
		}
	}
	return s, nil
}
