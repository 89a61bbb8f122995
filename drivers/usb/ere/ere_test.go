package ere

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"gonut/drivers/usb/ere/internal/glibcre"
)

// Each pattern is checked against glibc as NUT calls it (regcomp with
// REG_EXTENDED|REG_ICASE, a match only when it covers the whole string):
// what glibc refuses is refused, with glibc's words; what both take matches
// the same strings; what only glibc takes is refused as Unsupported.
func TestAgainstGlibc(t *testing.T) {
	patterns := []string{
		// The examples of NUT's usbhid-ups(8) and nut_usb_addvars.txt.
		"Foo.Corporation.*", "051d*", ".*(Smart|Back)-?UPS.*", "002", "00[2-3]", "001", "00[1-2]",
		// What ups.conf files hold.
		"0463", "051D", "^051d$", "American Power Conversion", "Back-UPS ES 700 FW:.*",
		"(APC|Eaton)", "3B1[0-9]+", "[[:digit:]]+", "CPS", "", " ", "Eaton|MGE|Powerware",
		// Repetitions: stacked, intervals, errors.
		"a**", "a+*", "a+?", "a??", "a*?", "a{1}{2}", "x{2}{,3}", "a{,2}", "a{,}", "a{0}", "a{0,0}b",
		"a{01}", "a{1,}", "a{2,1}", "a{}", "a{x}", "a{1,x}", "a{1", "a{1,2", "a{", "a{ 1}", "a{1000}",
		"a{1001}", "a{32767}", "a{32768}", "(a{500}){3}", "*x", "*", "+a", "?a", "{1}", "(*a)", "a|*b",
		"^*a", "x^*", "$*", "a$*", `\b*`, `\B+`, "(^)*", "(a)*", "a}", "}", `\{1`,
		// Groups and alternation.
		"()", "a||b", "(|a)", "a|", "|a", "a(", "a)", ")", "((a))", "(a|b)c", "ab|", "(a)(b)",
		// Anchors.
		"^a$", "a^b", "a$b", "(^a)", "a|^b",
		// Escapes.
		`\.`, `\-`, `\/`, `\(`, `\)`, `\[`, `\]`, `\{`, `\}`, `\*`, `\\`, `\|`, `\^`, `\$`, `\?`, `\+`, `\ `, `\%`,
		`\w+`, `\W`, `\s`, `\S+`, `\b`, `\B`, "\\`a", `a\'`, `x\`, `\1`, `(a)\1`, `(a)\2`, `\<a`, `a\>`,
		`\d`, `\D`, `\n`, `\t`, `\x41`, `\e`, `\A`, `\0`,
		// Brackets.
		`[\d]`, `[\.]`, `[\]`, `[a\]]`, "[]a]", "[^]a]", "[a-]", "[-a]", "[--/]", "[]-a]", "[a-c-e]",
		"[a-c-]", "[!--]", "[[:alpha:]]+", "[[:ALPHA:]]", "[[:foo:]]", "[[:alpha]", "[[:alpha:]",
		"[[:alpha:]-z]", "[a-[:alpha:]]", "[[.a.]]", "[[.a.]-c]", "[a-[.c.]]", "[[.-.]]", "[[.ab.]]",
		"[[.space.]]", "[[=a=]]", "[[=ab=]]", "[:alpha:]", "[[]]", "[[]", "[^]", "[a", "a]",
		"[z-a]", "[a-Z]", "[A-z]", "[Z-a]", "[z-A]", "[_-a]", "[A-_]", "[[-a]", "[0-z]", "[a-~]",
		"[!-A]", "[^a]", "[^A-Z]", "[[:upper:]]", "[[:lower:]]", "[^[:lower:]]", "[[:punct:]]+",
		"[[:space:]]", "[[:xdigit:]]{4}", "[[:cntrl:]]", "[[:print:]]+", "[[:graph:]]+", "[[:blank:]]",
		"[[::]]", "[[..]]", "[[==]]", "[.]", "[=]", "[:]", "[[.].]]", "[^[:print:][:cntrl:]]",
		// Not ASCII.
		"Soci\u00e9t\u00e9", "[\u00e9]",
	}
	for _, pat := range patterns {
		compare(t, pat, inputsFor(pat))
	}
}

// What NUT's documentation and glibc say, pinned here by hand as well.
func TestMeaning(t *testing.T) {
	for _, c := range []struct {
		pattern string
		yes, no []string
	}{
		// vendorid = 051d* (the APC example): "051" and "051d", case aside.
		{"051d*", []string{"051d", "051D", "051", "051dd"}, []string{"051e", "0051d", "051d0"}},
		// The whole string must match.
		{"Eaton", []string{"Eaton", "EATON"}, []string{"Eaton Corp", "The Eaton"}},
		{"", []string{""}, []string{"x"}},
		{"APC|", []string{"", "apc"}, []string{"APCx"}},
		// Stacked repetitions repeat; they are not lazy.
		{"a+?", []string{"", "a", "aaa"}, []string{"b"}},
		{"x{2}{,3}", []string{"", "xx", "xxxxxx"}, []string{"x", "xxx"}},
		// {,n} is {0,n}.
		{"a{,2}", []string{"", "a", "aa"}, []string{"aaa"}},
		// Backslash is itself inside brackets.
		{`[\d]`, []string{"d", "D", `\`}, []string{"1"}},
		// Case folding of ranges: ends upper-cased first.
		{"[a-~]", []string{"_", "`", "{", "A", "z"}, []string{"@", "0"}},
		{"[0-z]", []string{"@", "9", "A", "z"}, []string{"_", "`", "{"}},
		{"[^a]", []string{"b", "_"}, []string{"a", "A"}},
		{"[[:upper:]]", []string{"a", "A"}, []string{"1"}},
		// An unmatched ) or ] is itself.
		{"a)", []string{"a)"}, []string{"a"}},
		{"a]", []string{"a]"}, []string{"a"}},
		// GNU escapes.
		{`\w+`, []string{"abc_1"}, []string{"a-b"}},
		{`\B`, []string{""}, []string{"a"}},
		// . matches a newline too (no REG_NEWLINE).
		{"a.b", []string{"a\nb", "a.b"}, []string{"ab"}},
		// No Kelvin sign or long s sneaks into a class.
		{"[^k]", []string{"j"}, []string{"k", "K"}},
	} {
		re, err := Compile(c.pattern)
		if err != nil {
			t.Errorf("Compile(%q): %v", c.pattern, err)
			continue
		}
		for _, s := range c.yes {
			if !re.MatchString(s) {
				t.Errorf("%q (%s) does not match %q", c.pattern, re.Translated(), s)
			}
		}
		for _, s := range c.no {
			if re.MatchString(s) {
				t.Errorf("%q (%s) matches %q", c.pattern, re.Translated(), s)
			}
		}
	}
}

func TestRefusals(t *testing.T) {
	for _, c := range []struct {
		pattern     string
		unsupported bool
		msg         string
	}{
		{"(", false, "Unmatched ( or \\("},
		{"*x", false, "Invalid preceding regular expression"},
		{"a{1", false, "Unmatched \\{"},
		{"a{x}", false, "Invalid content of \\{\\}"},
		{"[z-a]", false, "Invalid range end"},
		{"[[:foo:]]", false, "Invalid character class name"},
		{`x\`, false, "Trailing backslash"},
		{`\1`, false, "Invalid back reference"},
		{"[a", false, "Unmatched [, [^, [:, [., or [="},
		{`\d+`, true, `\d is not a POSIX regular expression escape`},
		{`(a)\1`, true, "back-references"},
		{`\<UPS`, true, `\< (start or end of a word) is not supported`},
		{"Soci\u00e9t\u00e9", true, "non-ASCII"},
		{"a{1001}", true, "above 1000"},
		{"(a{500}){3}", true, "above 1000"},
	} {
		_, err := Compile(c.pattern)
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("Compile(%q) = %v, want an *Error", c.pattern, err)
			continue
		}
		if e.Unsupported != c.unsupported || !strings.Contains(e.Msg, c.msg) {
			t.Errorf("Compile(%q): %+v, want unsupported=%v and %q", c.pattern, e, c.unsupported, c.msg)
		}
	}
}

// FuzzAgainstGlibc compares random patterns over the characters that
// matter to a regular expression with glibc, as TestAgainstGlibc does.
func FuzzAgainstGlibc(f *testing.F) {
	for _, s := range []string{"a**", "[a-~]", "x{2}{,3}", `(a)\1`, "[[:alpha:]-z]", "a|^b", `[\]]`} {
		f.Add(s, "aB_")
	}
	f.Fuzz(func(t *testing.T, pattern, input string) {
		// glibc takes exponential time and room over stacked repetitions
		// (0*+++++++++ takes seconds, 0?{,9}{9,} minutes): keep to
		// a few, with small counts.
		if len(pattern) > 40 || len(input) > 40 || strings.Count(pattern, "*")+strings.Count(pattern, "+")+
			strings.Count(pattern, "?")+strings.Count(pattern, "{") > 6 || strings.Count(pattern, "{") > 1 || bigCount.MatchString(pattern) {
			return
		}
		compare(t, pattern, append(inputsFor(pattern), input))
	})
}

var bigCount = regexp.MustCompile(`[0-9]{2}`)

func compare(t *testing.T, pattern string, inputs []string) {
	t.Helper()
	g, gerr := glibcre.Compile(pattern)
	r, err := Compile(pattern)
	if gerr != nil {
		if err == nil {
			t.Errorf("%q: glibc refuses it (%v), Compile takes it as %s", pattern, gerr, r.Translated())
			return
		}
		return // the words may differ (TestRefusals pins the usual ones)
	}
	if err != nil {
		var e *Error
		if !errors.As(err, &e) || !e.Unsupported {
			t.Errorf("%q: glibc takes it, Compile refuses it: %v", pattern, err)
		}
		return
	}
	for _, s := range inputs {
		if strings.IndexByte(s, 0) >= 0 || !isASCII(s) {
			continue // never read from a USB device
		}
		if want, got := g.MatchString(s), r.MatchString(s); want != got {
			t.Errorf("%q (as %s) on %q: glibc %v, Compile %v", pattern, r.Translated(), s, want, got)
		}
	}
}

// inputsFor makes strings worth matching a pattern against: every
// printable ASCII character alone, short runs, and pieces of the pattern
// itself.
func inputsFor(pattern string) []string {
	in := []string{"", "aa", "aaa", "ab", "AB", "xx", "xxxx", "xxxxxx", "a b", "a\nb", "0463", "051d", "051D", "051"}
	for c := byte(1); c < 0x80; c++ {
		in = append(in, string(c))
	}
	var lit strings.Builder
	for i := 0; i < len(pattern); i++ {
		if c := pattern[i]; isAlnum(c) || c == ' ' || c == '-' || c == '_' {
			lit.WriteByte(c)
		}
	}
	l := lit.String()
	in = append(in, pattern, l, strings.ToUpper(l), l+l)
	for i := 0; i < len(l); i++ {
		in = append(in, l[:i], l[i:])
	}
	return in
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
