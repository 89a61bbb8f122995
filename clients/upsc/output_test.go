package upsc

import (
	"bytes"
	"encoding/json"
	"io"
	"slices"
	"strings"
	"testing"
)

// tokens reads a JSON document's strings in order, and checks that it is
// one value and nothing after it.
func tokens(t *testing.T, doc string) []string {
	t.Helper()
	if !json.Valid([]byte(doc)) {
		t.Fatalf("not JSON: %q", doc)
	}
	var out []string
	d := json.NewDecoder(strings.NewReader(doc))
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("%q: %v", doc, err)
		}
		if s, ok := tok.(string); ok {
			out = append(out, s)
		}
	}
}

// Whatever upsd's names and values, and however many, upsc -j prints one
// JSON document that reads back as them, in order (bytes that are not
// UTF-8 as U+FFFD), and error objects of every shape are JSON.
func FuzzJSONOutput(f *testing.F) {
	f.Add("ups.status", "OL", uint8(2))
	f.Add(`we"ird\`, "\x00\x7f\xff\u2028", uint8(0))
	f.Fuzz(func(t *testing.T, name, value string, n uint8) {
		var names []string
		var kv [][2]string
		for i := range int(n % 8) {
			k, v := name+strings.Repeat("x", i), value
			names = append(names, k)
			kv = append(kv, [2]string{k, v})
		}
		var b bytes.Buffer
		p := printer{json: true, stdout: &b, stderr: io.Discard}
		valid := func(s string) string { return string([]rune(s)) }
		var want []string
		for _, x := range kv {
			want = append(want, valid(x[0]), valid(x[1]))
		}
		p.pairs(kv)
		if got := tokens(t, b.String()); !slices.Equal(got, want) {
			t.Fatalf("pairs %q: %q reads as %q", kv, b.String(), got)
		}
		b.Reset()
		p.list(names)
		want = want[:0]
		for _, k := range names {
			want = append(want, valid(k))
		}
		if got := tokens(t, b.String()); !slices.Equal(got, want) {
			t.Fatalf("list %q: %q reads as %q", names, b.String(), got)
		}
		for _, s := range []shape{oneValue, object, array} {
			b.Reset()
			p.fail(s, value)
			if got := tokens(t, b.String()); !slices.Equal(got, []string{"error", valid(value)}) {
				t.Fatalf("error %q: %q reads as %q", value, b.String(), got)
			}
		}
		b.Reset()
		p.value(value)
		if got := tokens(t, b.String()); !slices.Equal(got, []string{valid(value)}) {
			t.Fatalf("value %q: %q reads as %q", value, b.String(), got)
		}
	})
}
