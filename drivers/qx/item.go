package qx

import (
	"fmt"
	"strconv"
	"strings"
)

// flags are an item's NUT QX_FLAG_*s.
type flags uint16

const (
	fStatic     flags = 1 << iota // read once, at start
	fQuickPoll                    // read at every poll (status)
	fCmd                          // an instant command
	fSetVar                       // a writable variable
	fTrim                         // the value loses leading and trailing '#' and ' '
	fAbsent                       // kept by the driver, not read from the UPS
	fRange                        // a writable number in ranges
	fSkip                         // never used (options, or it failed at start)
	fSemiStatic                   // read at start, and again after a command or a setting
	fNoNut                        // not a NUT variable: its value is logged, and a setting comes from ups.conf
	fWhole                        // the value function reads the whole answer, bytes and all
	fEnum                         // a writable value of a list (enum)
)

// item is one row of a subdriver's table (NUT's item_t).
type item struct {
	name   string // NUT variable or command
	rw     bool   // ST_FLAG_RW
	ranges [][2]int
	// rangeOf, when set, gives the ranges from what the UPS said
	// (NUT's range entries with a preprocess function).
	rangeOf func(d *Driver, it *item) [][2]int
	enum    []string // the values of an fEnum item
	cmd     string   // the request; for a command, a format of its parameter
	minLen  int      // answers shorter than this are refused
	lead    byte     // the answer's first byte (0: any)
	from    int      // the value's first byte in the answer
	to      int      // its last byte (0: to the end of the line)
	dfl     string   // a printf format of the number ("%s": text), or an absent item's value
	flags   flags
	// refine rewrites the answer before anything reads it (NUT's
	// preprocess_answer); items that share a request share the result.
	refine func(answer string) (string, error)
	// value turns the answer's bytes into what the item sets ("" sets
	// nothing); an error refuses the answer (NUT's preprocess).
	value func(d *Driver, it *item, raw string) (string, error)
	// command builds an instant command's or setting's request from its
	// parameter (NUT's preprocess of commands and setvars).
	command func(d *Driver, it *item, param string) (string, error)
}

// errAnswer is an answer that does not fit its item.
type errAnswer struct {
	item, why string
}

func (e *errAnswer) Error() string { return e.item + ": " + e.why }

// extract is NUT's qx_process_answer: check the answer and cut the
// item's bytes out of it.
// Its length is the bytes read; what is compared is the answer as a C
// string (to its first NUL).
func (it *item) extract(answer string, rejected string) (string, error) {
	whole, n := answer, len(answer)
	answer = cString(answer)
	switch {
	case rejected != "" && strings.EqualFold(answer, rejected):
		return "", &errAnswer{it.name, "the UPS refused the request"}
	case it.minLen > 0 && n < it.minLen:
		return "", &errAnswer{it.name, fmt.Sprintf("answer too short (%d bytes, expected %d)", n, it.minLen)}
	case it.lead != 0 && (answer == "" || answer[0] != it.lead):
		return "", &errAnswer{it.name, fmt.Sprintf("answer starts with %q, expected %q", firstByte(answer), it.lead)}
	case it.flags&fWhole != 0:
		return whole, nil
	case answer == "":
		return "", nil
	}
	end := it.to + 1
	if it.to == 0 {
		end = strings.IndexByte(answer, '\r')
		if end < 0 {
			end = len(answer)
		}
	}
	if it.from > len(answer) || end < it.from {
		return "", nil
	}
	return answer[it.from:min(end, len(answer))], nil
}

// cString is s as C reads it: to its first NUL.
func cString(s string) string {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return s[:i]
	}
	return s
}

func firstByte(s string) string {
	if s == "" {
		return ""
	}
	return s[:1]
}

// numeric reports whether NUT takes a value as a number: only digits,
// spaces and dots.
func numeric(s string) bool {
	return strings.Trim(s, "0123456789 .") == ""
}

// strtod reads a number as C's strtod reads one made of digits, spaces
// and dots: leading spaces, then the longest number (0 when none).
func strtod(s string) float64 {
	s = strings.TrimLeft(s, " \t")
	end, dot := 0, false
	for end < len(s) && (s[end] >= '0' && s[end] <= '9' || s[end] == '.' && !dot) {
		dot = dot || s[end] == '.'
		end++
	}
	f, err := strconv.ParseFloat(s[:end], 64)
	if err != nil {
		return 0
	}
	return f
}

// format is NUT's ups_infoval_set for an item without a value function:
// trim, then a number printed with the item's format, or the text.
func (it *item) format(raw string) (string, error) {
	v := raw
	if it.flags&fTrim != 0 {
		v = strings.Trim(v, "# ")
	}
	if it.dfl != "%s" {
		if !numeric(v) {
			return "", &errAnswer{it.name, fmt.Sprintf("%q is not a number", v)}
		}
		v = fmt.Sprintf(it.dfl, strtod(v))
	}
	if v == "" {
		return "", &errAnswer{it.name, "empty value"}
	}
	return v, nil
}

// cloneItems copies a table: a driver marks its own rows skipped.
func cloneItems(t []item) []item { return append([]item(nil), t...) }
