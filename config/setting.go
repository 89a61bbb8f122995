package config

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"gonut/words"
)

// Setting is one "key = value" line, or a bare flag, of ups.conf (and the
// assignments of nut.conf). Every setting is kept, in file order.
type Setting struct {
	Key   string
	Value string // "" for a flag
	Flag  bool   // a bare word, no "= value"
	Line  int
}

// lookup returns the value of the last setting named key that has a
// value (NUT's programs let a later line override an earlier one).
func lookup(ss []Setting, key string, fold bool) (string, bool) {
	v, ok := "", false
	for _, s := range ss {
		if !s.Flag && sameKey(s.Key, key, fold) {
			v, ok = s.Value, true
		}
	}
	return v, ok
}

// present reports whether key is there, as a flag or with a value.
func present(ss []Setting, key string) bool {
	for _, s := range ss {
		if s.Key == key {
			return true
		}
	}
	return false
}

// hasFlag reports whether key is there as a bare flag.
func hasFlag(ss []Setting, key string) bool {
	for _, s := range ss {
		if s.Flag && s.Key == key {
			return true
		}
	}
	return false
}

func sameKey(a, b string, fold bool) bool {
	if fold {
		return strings.EqualFold(a, b)
	}
	return a == b
}

// lines reads a file's lines of words, turning the tokenizer's errors and
// warnings into problems.
func lines(file string, r io.Reader) ([]words.Line, *problems) {
	p := &problems{file: file}
	var out []words.Line
	s := words.NewScanner(r)
	for s.Scan() {
		l := s.Line()
		if l.Err != nil {
			p.errorf(l.Num, "%v", l.Err)
			continue
		}
		for _, w := range l.Warnings {
			p.warnf(l.Num, "%s", w)
		}
		out = append(out, l)
	}
	if err := s.Err(); err != nil {
		p.errs = append(p.errs, fmt.Errorf("%s: %w", file, err))
	}
	return out, p
}

// directive is a line of a directive file (upsd.conf, upsmon.conf,
// upssched.conf): its first word and the rest.
type directive struct {
	name string
	args []string
	line int
}

func directives(file string, r io.Reader) ([]directive, *problems) {
	ls, p := lines(file, r)
	out := make([]directive, 0, len(ls))
	for _, l := range ls {
		out = append(out, directive{name: l.Words[0], args: l.Words[1:], line: l.Num})
	}
	return out, p
}

// need checks that a directive has at least n arguments, and warns about
// any beyond max (NUT ignores them). usage is shown when some are missing.
func (p *problems) need(d directive, n, max int, usage string) bool {
	if len(d.args) < n {
		p.errorf(d.line, "%s: expected %s", d.name, usage)
		return false
	}
	if max >= 0 && len(d.args) > max {
		p.warnf(d.line, "%s: words after %q ignored (quote a value that has spaces)", d.name, d.args[max-1])
	}
	return true
}

// C's int, the type NUT reads these numbers into.
const (
	maxInt = 1<<31 - 1
	minInt = -1 << 31
)

// cNumber reads s as C's atoi and strtol do: an optional sign, then
// digits; what follows them is returned in rest. ok is false when there
// are no digits or the number does not fit a C int.
func cNumber(s string) (n int, rest string, ok bool) {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	j := i
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	if j == i {
		return 0, s, false
	}
	v, err := strconv.ParseInt(s[:j], 10, 64)
	if err != nil || v > maxInt || v < minInt {
		return 0, s[j:], false
	}
	return int(v), s[j:], true
}

// Atoi reads a number as C's atoi(3) does, as NUT's programs read many
// of theirs: leading blanks, a sign and digits; anything else after is
// ignored, and no number (or one out of range) is 0.
func Atoi(s string) int {
	n, _, _ := cNumber(strings.TrimLeft(s, " \t"))
	return n
}

// strictNumber reads a whole word as a number, as NUT's str_to_int does.
func strictNumber(s string) (int, bool) {
	n, rest, ok := cNumber(s)
	return n, ok && rest == ""
}

// number modes: how NUT reads the value.
const (
	strict  = false // str_to_int: the whole word must be a number
	lenient = true  // atoi: leading digits count, the rest is ignored
)

// number reads what, a number in [min, max]. Where NUT reads leading
// digits and ignores the rest (lenient), so does this, with a warning;
// a word NUT would read as 0 for lack of digits is an error, and the
// caller keeps its default.
func (p *problems) number(line int, what, s string, min, max int, mode bool) (int, bool) {
	n, rest, ok := cNumber(s)
	if ok && rest != "" && mode == lenient && n >= min && n <= max {
		p.warnf(line, "%s %q: read as %d, as NUT does (write just the number)", what, s, n)
		return n, true
	}
	if !ok || rest != "" || n < min || n > max {
		p.errorf(line, "%s %q: expected %s", what, s, rangeText(min, max))
		return 0, false
	}
	return n, true
}

func rangeText(min, max int) string {
	switch {
	case min <= minInt && max >= maxInt:
		return "a whole number"
	case max >= maxInt:
		return fmt.Sprintf("a whole number, %d or more", min)
	}
	return fmt.Sprintf("a whole number from %d to %d", min, max)
}

// boolean reads upsd.conf's booleans: true/false, on/off, yes/no, 1/0, in
// any case.
func boolean(s string) (v, ok bool) {
	switch strings.ToLower(s) {
	case "true", "on", "yes", "1":
		return true, true
	case "false", "off", "no", "0":
		return false, true
	}
	return false, false
}

// writeLine writes one line of words, each quoted as needed.
func writeLine(b *strings.Builder, indent string, ws ...string) {
	b.WriteString(indent)
	for i, w := range ws {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(words.Word(w))
	}
	b.WriteByte('\n')
}

// perLine is how many values a writer puts on one line of a list, well
// below the tokenizer's limit of 32 words.
const perLine = 16

// writeAssign writes "key = value [value...]", each word quoted as needed.
func writeAssign(b *strings.Builder, indent, key string, vals ...string) {
	b.WriteString(indent + words.Word(key) + " =")
	for _, v := range vals {
		b.WriteString(" " + words.Word(v))
	}
	b.WriteByte('\n')
}

// writeList writes key = values, over several lines when they are many.
func writeList(b *strings.Builder, indent, key string, vals []string) {
	for len(vals) > 0 {
		n := min(len(vals), perLine)
		writeAssign(b, indent, key, vals[:n]...)
		vals = vals[n:]
	}
}
