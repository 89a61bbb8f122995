package ere

import (
	"fmt"
	"strings"
)

// set is a bracket expression's ASCII characters. The strings it is
// matched against are ASCII, so nothing else matters.
type set [128]bool

// posixClasses are the character classes of the C locale.
var posixClasses = map[string]func(c byte) bool{
	"alpha":  func(c byte) bool { return isUpper(c) || isLower(c) },
	"upper":  isUpper,
	"lower":  isLower,
	"digit":  func(c byte) bool { return c >= '0' && c <= '9' },
	"xdigit": func(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' },
	"alnum":  isAlnum,
	"space":  func(c byte) bool { return c == ' ' || c >= '\t' && c <= '\r' },
	"blank":  func(c byte) bool { return c == ' ' || c == '\t' },
	"punct":  func(c byte) bool { return c > ' ' && c < 0x7f && !isAlnum(c) },
	"print":  func(c byte) bool { return c >= ' ' && c < 0x7f },
	"graph":  func(c byte) bool { return c > ' ' && c < 0x7f },
	"cntrl":  func(c byte) bool { return c < ' ' || c == 0x7f },
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }
func isLower(c byte) bool { return c >= 'a' && c <= 'z' }

func toUpper(c byte) byte {
	if isLower(c) {
		return c - 'a' + 'A'
	}
	return c
}

// bracket reads a bracket expression, from its '[' to its ']'. Inside one,
// a backslash is itself; ']' first (after an optional '^') is itself; '-'
// first or last is itself. Without regard to case, glibc upper-cases the
// pattern and the string before it matches one with the other: a range's
// ends are upper-cased before it is built ([a-~] holds '_', [_-a] is an
// error), a lower-case letter matches when its upper case is in the set
// ([B-~] does not match "a"), and [:upper:] and [:lower:] are [:alpha:].
func (p *parser) bracket() (*set, error) {
	open := p.pos
	p.pos++
	var s set
	negate := false
	if p.more() && p.src[p.pos] == '^' {
		negate = true
		p.pos++
	}
	first := true
	for {
		if !p.more() {
			return nil, p.fail(open, msgBracket)
		}
		if p.src[p.pos] == ']' && !first {
			p.pos++
			break
		}
		first = false
		lo, class, err := p.bracketElement(open)
		if err != nil {
			return nil, err
		}
		if class != nil {
			for c := 0; c < len(s); c++ {
				if class(byte(c)) {
					s[c] = true
				}
			}
			if p.rangeDash() {
				return nil, p.fail(p.pos, msgRange)
			}
			continue
		}
		if !p.rangeDash() {
			s[toUpper(lo)] = true
			continue
		}
		p.pos++ // the '-'
		at := p.pos
		hi, class, err := p.bracketElement(open)
		if err != nil {
			return nil, err
		}
		if class != nil {
			return nil, p.fail(at, msgRange)
		}
		l, h := toUpper(lo), toUpper(hi)
		if l > h {
			return nil, p.fail(at, msgRange)
		}
		for c := int(l); c <= int(h); c++ {
			s[c] = true
		}
		if p.rangeDash() { // [a-c-e]
			return nil, p.fail(p.pos, msgRange)
		}
	}
	if negate {
		for c := range s {
			s[c] = !s[c]
		}
	}
	// glibc upper-cases the string before it matches it.
	for c := byte('a'); c <= 'z'; c++ {
		s[c] = s[toUpper(c)]
	}
	return &s, nil
}

// rangeDash reports whether a '-' that makes a range comes next: one not
// followed by the closing ']'.
func (p *parser) rangeDash() bool {
	return p.pos+1 < len(p.src) && p.src[p.pos] == '-' && p.src[p.pos+1] != ']'
}

// bracketElement reads one character of a bracket expression (a collating
// symbol [.c.] or an equivalence class [=c=] of one character counts as
// that character) or a character class [:name:].
func (p *parser) bracketElement(open int) (byte, func(byte) bool, error) {
	c := p.src[p.pos]
	if c >= 0x80 {
		return 0, nil, p.unsupported(p.pos, "non-ASCII character: USB strings are read as ASCII, with '?' for any other character")
	}
	if c != '[' || p.pos+1 >= len(p.src) || !strings.ContainsRune(":.=", rune(p.src[p.pos+1])) {
		p.pos++
		return c, nil, nil
	}
	at := p.pos
	delim := p.src[p.pos+1]
	end := strings.Index(p.src[p.pos+2:], string(delim)+"]")
	if end < 0 {
		return 0, nil, p.fail(open, msgBracket)
	}
	name := p.src[p.pos+2 : p.pos+2+end]
	p.pos += 2 + end + 2
	if delim == ':' {
		class, ok := posixClasses[name]
		if !ok {
			return 0, nil, p.fail(at, msgClass)
		}
		if name == "upper" || name == "lower" { // as glibc does without regard to case
			class = posixClasses["alpha"]
		}
		return 0, class, nil
	}
	if len(name) != 1 {
		return 0, nil, p.fail(at, msgCollate)
	}
	if name[0] >= 0x80 {
		return 0, nil, p.unsupported(at, "non-ASCII character: USB strings are read as ASCII, with '?' for any other character")
	}
	return name[0], nil, nil
}

// goClass writes the set as a Go character class. The set already says
// what each case matches, so case folding is turned off inside it (Go's
// folding would also add non-ASCII characters, the Kelvin sign for k).
func (s *set) goClass() string {
	var b strings.Builder
	b.WriteString("(?-i:[")
	empty := true
	for c := 0; c < len(s); c++ {
		if !s[c] {
			continue
		}
		end := c
		for end+1 < len(s) && s[end+1] {
			end++
		}
		fmt.Fprintf(&b, `\x%02x`, c)
		if end > c {
			fmt.Fprintf(&b, `-\x%02x`, end)
		}
		c = end
		empty = false
	}
	if empty {
		return `[^\x00-\x{10FFFF}]` // matches nothing
	}
	b.WriteString("])")
	return b.String()
}
