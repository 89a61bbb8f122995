package ere

import (
	"fmt"
	"regexp"
	"strings"
)

// Regexp is a compiled expression. It matches whole strings only.
type Regexp struct {
	pattern string
	re      *regexp.Regexp
}

// Error is a pattern Compile refuses. Unsupported is set when glibc would
// have taken it, but Go cannot match it as glibc does.
type Error struct {
	Pattern     string
	Offset      int // byte offset in Pattern where the problem was seen
	Msg         string
	Unsupported bool
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s (at offset %d)", e.Msg, e.Offset)
}

// glibc's regerror texts, for the patterns glibc refuses too.
const (
	msgBadRepeat  = "Invalid preceding regular expression"
	msgParen      = "Unmatched ( or \\("
	msgBracket    = "Unmatched [, [^, [:, [., or [="
	msgBrace      = "Unmatched \\{"
	msgBadBrace   = "Invalid content of \\{\\}"
	msgRange      = "Invalid range end"
	msgClass      = "Invalid character class name"
	msgCollate    = "Invalid collation character"
	msgBackslash  = "Trailing backslash"
	msgBackref    = "Invalid back reference"
	msgRegexLarge = "Regular expression too big"
)

// maxRepeat is Go's limit on a repetition count; glibc's is 32767.
const maxRepeat = 1000

// Compile reads pattern as NUT's USB matchers do.
func Compile(pattern string) (*Regexp, error) {
	p := parser{src: pattern}
	if i := strings.IndexByte(pattern, 0); i >= 0 {
		return nil, p.unsupported(i, "NUL character")
	}
	t, err := p.alternation()
	if err != nil {
		return nil, err
	}
	if p.pos < len(p.src) { // only a ')' can stop the top level, and it is a literal there
		return nil, p.fail(p.pos, msgParen)
	}
	re, err := regexp.Compile(`(?s)(?i)^(?:` + t + `)$`)
	if err != nil {
		// Go refuses only what the translation let through on purpose:
		// nested repetitions whose product is over its limit.
		return nil, &Error{Pattern: pattern, Msg: "repetition count above 1000 (Go's limit): " + err.Error(), Unsupported: true}
	}
	return &Regexp{pattern: pattern, re: re}, nil
}

// MatchString reports whether the whole of s matches.
func (r *Regexp) MatchString(s string) bool { return r.re.MatchString(s) }

// String is the pattern as written.
func (r *Regexp) String() string { return r.pattern }

// Translated is the Go expression Compile made of it.
func (r *Regexp) Translated() string { return r.re.String() }

type parser struct {
	src   string
	pos   int
	depth int // open groups
}

func (p *parser) fail(at int, msg string) *Error {
	return &Error{Pattern: p.src, Offset: at, Msg: msg}
}

func (p *parser) unsupported(at int, msg string) *Error {
	return &Error{Pattern: p.src, Offset: at, Msg: msg, Unsupported: true}
}

func (p *parser) more() bool { return p.pos < len(p.src) }

// alternation reads branches separated by '|', up to the end or to the ')'
// that closes the group being read.
func (p *parser) alternation() (string, error) {
	var alts []string
	for {
		b, err := p.branch()
		if err != nil {
			return "", err
		}
		alts = append(alts, b)
		if p.more() && p.src[p.pos] == '|' {
			p.pos++
			continue
		}
		return strings.Join(alts, "|"), nil
	}
}

type atomKind int

const (
	repeatable atomKind = iota
	anchor              // ^ $ \b \B \` \': glibc refuses a repetition after them
)

// branch reads pieces (an atom and its repetitions) up to a '|' or to the
// ')' of the group being read.
func (p *parser) branch() (string, error) {
	var out strings.Builder
	for p.more() {
		c := p.src[p.pos]
		if c == '|' || (c == ')' && p.depth > 0) {
			break
		}
		atom, kind, err := p.atom()
		if err != nil {
			return "", err
		}
		repeated := false
		for p.more() && isRepeat(p.src[p.pos]) {
			if kind == anchor {
				return "", p.fail(p.pos, msgBadRepeat)
			}
			op, err := p.repeat()
			if err != nil {
				return "", err
			}
			if repeated {
				// glibc repeats the repetition (a+? is (a+)?, not a lazy a+).
				atom = "(?:" + atom + ")"
			}
			atom += op
			repeated = true
		}
		out.WriteString(atom)
	}
	return out.String(), nil
}

func isRepeat(c byte) bool { return c == '*' || c == '+' || c == '?' || c == '{' }

func (p *parser) atom() (string, atomKind, error) {
	at := p.pos
	c := p.src[p.pos]
	switch {
	case c >= 0x80:
		return "", 0, p.unsupported(at, "non-ASCII character: USB strings are read as ASCII, with '?' for any other character")
	case isRepeat(c):
		return "", 0, p.fail(at, msgBadRepeat)
	case c == '(':
		p.pos++
		p.depth++
		inner, err := p.alternation()
		if err != nil {
			return "", 0, err
		}
		if !p.more() || p.src[p.pos] != ')' {
			return "", 0, p.fail(at, msgParen)
		}
		p.pos++
		p.depth--
		return "(?:" + inner + ")", repeatable, nil
	case c == '.':
		p.pos++
		return ".", repeatable, nil
	case c == '^': // glibc's anchors also match next to a newline
		p.pos++
		return "(?m:^)", anchor, nil
	case c == '$':
		p.pos++
		return "(?m:$)", anchor, nil
	case c == '[':
		s, err := p.bracket()
		if err != nil {
			return "", 0, err
		}
		return s.goClass(), repeatable, nil
	case c == '\\':
		return p.escape()
	}
	// Anything else, ')' outside a group, ']' and '}' included, is itself.
	p.pos++
	return regexp.QuoteMeta(string(c)), repeatable, nil
}

func (p *parser) escape() (string, atomKind, error) {
	at := p.pos
	p.pos++
	if !p.more() {
		return "", 0, p.fail(at, msgBackslash)
	}
	c := p.src[p.pos]
	p.pos++
	switch {
	case c == 'w':
		return `(?-i:[0-9A-Za-z_])`, repeatable, nil
	case c == 'W':
		return `(?-i:[^0-9A-Za-z_])`, repeatable, nil
	case c == 's':
		return `[\t\n\v\f\r ]`, repeatable, nil
	case c == 'S':
		return `[^\t\n\v\f\r ]`, repeatable, nil
	case c == 'b':
		return `\b`, anchor, nil
	case c == 'B':
		return `\B`, anchor, nil
	case c == '`':
		return `\A`, anchor, nil
	case c == '\'':
		return `\z`, anchor, nil
	case c == '<' || c == '>':
		return "", 0, p.unsupported(at, fmt.Sprintf(`\%c (start or end of a word) is not supported: use \b`, c))
	case c >= '1' && c <= '9':
		if int(c-'0') > p.closedGroups(at) {
			return "", 0, p.fail(at, msgBackref)
		}
		return "", 0, p.unsupported(at, fmt.Sprintf(`back-references (\%c) are not supported`, c))
	case isAlnum(c):
		return "", 0, p.unsupported(at, fmt.Sprintf(`\%c is not a POSIX regular expression escape (NUT's regex library matches it as no letter at all, or as the plain letter); write what you mean, e.g. [0-9] for a digit`, c))
	case c >= 0x80:
		return "", 0, p.unsupported(at, "non-ASCII character: USB strings are read as ASCII, with '?' for any other character")
	}
	return regexp.QuoteMeta(string(c)), repeatable, nil
}

// closedGroups counts the groups that end before offset at, which a
// back-reference there could name.
func (p *parser) closedGroups(at int) int {
	n, inBracket := 0, false
	for i := 0; i < at; i++ {
		switch c := p.src[i]; {
		case c == '\\':
			i++
		case inBracket:
			if c == ']' {
				inBracket = false
			}
		case c == '[':
			inBracket = true
			if i+1 < at && p.src[i+1] == ']' {
				i++
			}
		case c == ')':
			n++
		}
	}
	return n
}

// repeat reads one repetition operator: * + ? or an interval {m}, {m,},
// {m,n}, {,n}.
func (p *parser) repeat() (string, error) {
	c := p.src[p.pos]
	if c != '{' {
		p.pos++
		return string(c), nil
	}
	at := p.pos
	p.pos++
	if end := strings.IndexByte(p.src[p.pos:], '}'); strings.Contains(p.src[p.pos:p.pos+max(end, 0)], `\`) || end < 0 && strings.Contains(p.src[p.pos:], `\`) {
		// glibc reads \0 there as the digit 0 (a{\0,1} is a{0,1}).
		return "", p.unsupported(at, "backslash inside an interval {m,n}")
	}
	m, hasM, err := p.number(at)
	if err != nil {
		return "", err
	}
	if !p.more() {
		return "", p.fail(at, msgBrace)
	}
	if p.src[p.pos] == '}' {
		p.pos++
		if !hasM {
			return "", p.fail(at, msgBadBrace)
		}
		return fmt.Sprintf("{%d}", m), nil
	}
	if p.src[p.pos] != ',' {
		return "", p.fail(at, msgBadBrace)
	}
	p.pos++
	n, hasN, err := p.number(at)
	if err != nil {
		return "", err
	}
	if !p.more() {
		return "", p.fail(at, msgBrace)
	}
	if p.src[p.pos] != '}' {
		return "", p.fail(at, msgBadBrace)
	}
	p.pos++
	if !hasN {
		return fmt.Sprintf("{%d,}", m), nil
	}
	if m > n {
		return "", p.fail(at, msgBadBrace)
	}
	return fmt.Sprintf("{%d,%d}", m, n), nil
}

// number reads the digits of an interval bound.
func (p *parser) number(at int) (int, bool, error) {
	n, digits := 0, 0
	for p.more() && p.src[p.pos] >= '0' && p.src[p.pos] <= '9' {
		if n <= 32767 {
			n = n*10 + int(p.src[p.pos]-'0')
		}
		p.pos++
		digits++
	}
	switch {
	case n > 32767:
		return 0, false, p.fail(at, msgRegexLarge)
	case n > maxRepeat:
		return 0, false, p.unsupported(at, fmt.Sprintf("repetition count %d above 1000 (Go's limit)", n))
	}
	return n, digits > 0, nil
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
