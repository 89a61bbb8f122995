package jsonesc

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// What NUT master's json_print_esc prints (between the quotes). The
// valid-UTF-8 rows but NUL (which a C string cannot hold) were checked
// against NUT's common/strjson.c compiled into a small harness: it printed
// the same bytes, as it did for every valid UTF-8 string of one or two
// bytes and for 20 000 random UTF-8 strings.
var golden = []struct{ in, out string }{
	{"", ``},
	{"OL CHRG", `OL CHRG`},
	{`say "hi"`, `say \"hi\"`},
	{`back\slash`, `back\\slash`},
	{"\b\f\n\r\t", `\b\f\n\r\t`},
	{"\x00\x01\x1b\x1f", `\u0000\u0001\u001b\u001f`},
	{" ~\x7f", " ~\x7f"},
	{"</script>&'", `</script>&'`},
	{"café ✓ 𝄞 \u2028\u2029", "café ✓ 𝄞 \u2028\u2029"},
	// Not UTF-8: NUT copies these bytes (and its output is not JSON).
	{"latin\xe9", `latin\ufffd`},
	{"\xff\xfe", `\ufffd\ufffd`},
	{"\xc3", `\ufffd`},
	{"\xed\xa0\x80", `\ufffd\ufffd\ufffd`}, // a UTF-16 surrogate, encoded
}

func TestQuote(t *testing.T) {
	for _, g := range golden {
		if got, want := Quote(g.in), `"`+g.out+`"`; got != want {
			t.Errorf("Quote(%q) = %s, want %s", g.in, got, want)
		}
	}
}

// encodingJSON is Go's own JSON encoding of s, which differs from NUT's
// only in writing U+2028 and U+2029 as \u2028 and \u2029: the pieces
// between those are encoded apart and joined with the raw characters.
func encodingJSON(t *testing.T, s string) string {
	var out strings.Builder
	piece := func(p string) {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(p); err != nil {
			t.Fatal(err)
		}
		out.WriteString(strings.TrimSuffix(strings.TrimSuffix(b.String(), "\n"), `"`)[1:])
	}
	start := 0
	for i, r := range s {
		if r == '\u2028' || r == '\u2029' {
			piece(s[start:i])
			out.WriteRune(r)
			start = i + len(string(r))
		}
	}
	piece(s[start:])
	return `"` + out.String() + `"`
}

// Whatever the bytes, Quote gives valid JSON that reads back as the
// string (each byte that is not UTF-8 as U+FFFD), and the bytes that
// Go's encoder gives, but for U+2028 and U+2029.
func FuzzQuote(f *testing.F) {
	for _, g := range golden {
		f.Add(g.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := Quote(s)
		if !json.Valid([]byte(q)) {
			t.Fatalf("Quote(%q) = %q: not JSON", s, q)
		}
		var back string
		if err := json.Unmarshal([]byte(q), &back); err != nil {
			t.Fatal(err)
		}
		if want := string([]rune(s)); back != want {
			t.Fatalf("Quote(%q) = %q reads back as %q", s, q, back)
		}
		if want := encodingJSON(t, s); q != want {
			t.Fatalf("Quote(%q) = %q, encoding/json: %q", s, q, want)
		}
	})
}
