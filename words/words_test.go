package words

import (
	"bufio"
	"io"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestSplit(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"", []string{}},
		{"   \t ", []string{}},
		{"# only a comment", []string{}},
		{"MONITOR ups@host 1 user pass primary", []string{"MONITOR", "ups@host", "1", "user", "pass", "primary"}},
		{"a=b", []string{"a", "=", "b"}},
		{"a = b", []string{"a", "=", "b"}},
		{"a= b", []string{"a", "=", "b"}},
		{"a =b", []string{"a", "=", "b"}},
		{"a==b", []string{"a", "=", "=", "b"}},
		{"=a", []string{"=", "a"}},
		{`desc = "Main server UPS"`, []string{"desc", "=", "Main server UPS"}},
		{`x = ""`, []string{"x", "=", ""}},
		{`x = "" y`, []string{"x", "=", "", "y"}},
		{`password = "123=123"`, []string{"password", "=", "123=123"}},
		{`password = 123\=123`, []string{"password", "=", "123=123"}},
		{`identity = my#1ups`, []string{"identity", "=", "my"}},
		{`identity = my\#1ups`, []string{"identity", "=", "my#1ups"}},
		{`NOTIFYCMD "/bin/notifyme -foo -bar \"hi there\" -baz"`, []string{"NOTIFYCMD", `/bin/notifyme -foo -bar "hi there" -baz`}},
		{`NOTIFYCMD "/bin/notifyme c:\\dos\\style\\path"`, []string{"NOTIFYCMD", `/bin/notifyme c:\dos\style\path`}},
		{`NOTIFYCMD "\"c:\\path with space\\notifyme\" \"c:\\path with space\\name\""`, []string{"NOTIFYCMD", `"c:\path with space\notifyme" "c:\path with space\name"`}},
		{`a"b c"`, []string{`a"b`, `c"`}},
		{`"ab"cd`, []string{"ab", "cd"}},
		{`"a b"# comment`, []string{"a b"}},
		{`\"x`, []string{`"x`}},
		{`\ x`, []string{" x"}},
		{`x\`, []string{"x"}},
		{"[ups]", []string{"[ups]"}},
		{"a\r", []string{"a"}},
		{"caf\xc3\xa9", []string{"caf"}},
		{"a\x01b", []string{"ab"}},
		{"del\x7f", []string{"del\x7f"}},
		{"GET VAR ups ups.status # trailing", []string{"GET", "VAR", "ups", "ups.status"}},
		{`"quoted = equals"`, []string{"quoted = equals"}},
	}
	for _, c := range cases {
		got, err := Split(c.in)
		if err != nil {
			t.Errorf("Split(%q): %v", c.in, err)
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("Split(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestSplitErrors(t *testing.T) {
	for _, in := range []string{
		`desc = "has # inside"`,
		`desc = "never closed`,
		"a\nb",
	} {
		if got, err := Split(in); err == nil {
			t.Errorf("Split(%q) = %q, want an error", in, got)
		}
	}
}

func TestLimits(t *testing.T) {
	var tk Tokenizer
	long := strings.Repeat("x", 600)
	for i := 0; i < len(long); i++ {
		tk.Feed(long[i])
	}
	if tk.Feed('\n') != Done {
		t.Fatal("line not done")
	}
	if w := tk.Words(); len(w) != 1 || len(w[0]) != DefaultMaxWordLen {
		t.Fatalf("word not cut at %d: %d words, first %d long", DefaultMaxWordLen, len(w), len(w[0]))
	}
	if len(tk.Warnings()) != 1 {
		t.Fatalf("warnings = %q", tk.Warnings())
	}

	many := strings.Repeat("w ", 40)
	got, _ := Split(many)
	if len(got) != DefaultMaxWords {
		t.Fatalf("got %d words, want %d", len(got), DefaultMaxWords)
	}
	tk = Tokenizer{MaxWords: -1, MaxWordLen: -1}
	for i := 0; i < len(many); i++ {
		tk.Feed(many[i])
	}
	tk.Flush()
	if len(tk.Words()) != 40 {
		t.Fatalf("unlimited: got %d words", len(tk.Words()))
	}
}

func TestScanner(t *testing.T) {
	src := "# header\n" +
		"[ups1]\n" +
		"\tdriver = dummy-ups\n" +
		"\n" +
		"\tdesc = \"multi\n" +
		"line\"\n" +
		"\tport = \\\n" +
		"  /dev/ttyS0\n" +
		"\tbad = \"oops # here\" more\n" +
		"\tafter = ok\n" +
		"flag"
	lines, err := ReadAll(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		num   int
		words string
		err   bool
	}
	var got []row
	for _, l := range lines {
		got = append(got, row{l.Num, strings.Join(l.Words, "|"), l.Err != nil})
	}
	want := []row{
		{2, "[ups1]", false},
		{3, "driver|=|dummy-ups", false},
		{5, "desc|=|multiline", false},
		{7, "port|=|/dev/ttyS0", false},
		{9, "", true},
		{10, "after|=|ok", false},
		{11, "flag", false},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v\nwant %v", got, want)
	}
}

func TestQuoteRoundTrip(t *testing.T) {
	for _, s := range []string{"", "plain", "with space", `back\slash`, `"quoted"`, "hash#tag", "a=b", "=", " lead", "trail "} {
		for _, enc := range []string{Quote(s), Word(s), string(AppendQuote([]byte("x"), s))[1:], string(AppendWord(nil, s))} {
			got, err := Split("key " + enc)
			if err != nil || len(got) != 2 || got[1] != s {
				t.Errorf("%q encoded as %q reads back as %q (%v)", s, enc, got, err)
			}
		}
	}
}

// CutEscaped keeps what NUT's pconf_encode keeps in a buffer of n+1
// bytes: whole characters and whole escapes.
func TestCutEscaped(t *testing.T) {
	for _, c := range []struct {
		in   string
		n    int
		want string
	}{
		{"abc", 3, "abc"},
		{"abcd", 3, "abc"},
		{`ab"`, 3, "ab"}, // the escape needs two places; one is left
		{`a"b`, 3, `a"`},
		{`a\#`, 5, `a\#`},
		{`a\#`, 4, `a\`},
		{`#`, 1, ""},
		{"", 0, ""},
	} {
		if got := CutEscaped(c.in, c.n); got != c.want {
			t.Errorf("CutEscaped(%q, %d) = %q, want %q", c.in, c.n, got, c.want)
		}
	}
}

func FuzzCutEscaped(f *testing.F) {
	f.Add(`a"b\c#d`, 4)
	f.Fuzz(func(t *testing.T, s string, n int) {
		if n < 0 || n > 1024 {
			return
		}
		got := CutEscaped(s, n)
		if !strings.HasPrefix(s, got) || len(Escape(got)) > n {
			t.Fatalf("CutEscaped(%q, %d) = %q, escaped %d long", s, n, got, len(Escape(got)))
		}
		if got != s && len(Escape(s[:len(got)+1])) <= n {
			t.Fatalf("CutEscaped(%q, %d) = %q: one more character fits", s, n, got)
		}
	})
}

func FuzzSplit(f *testing.F) {
	for _, s := range []string{`a = "b c"`, `x\#y`, `"#"`, "a\\\nb", `"unterminated`, "[s]\n\tk=v", "\x00\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		lines, err := ReadAll(strings.NewReader(in))
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range lines {
			if l.Num < 1 || l.Num > strings.Count(in, "\n")+1 {
				t.Fatalf("line number %d out of range", l.Num)
			}
			if (l.Err == nil) == (l.Words == nil) {
				t.Fatalf("line %d: words %q with error %v", l.Num, l.Words, l.Err)
			}
			for _, w := range l.Words {
				if len(w) > DefaultMaxWordLen {
					t.Fatalf("word of %d characters", len(w))
				}
				for i := 0; i < len(w); i++ {
					if w[i] < 0x20 || w[i] > 0x7f {
						t.Fatalf("kept byte 0x%02x", w[i])
					}
				}
				// Every kept word survives quoting.
				back, err := Split(Word(w))
				if err != nil || len(back) != 1 || back[0] != w {
					t.Fatalf("word %q quoted as %q reads back as %q (%v)", w, Word(w), back, err)
				}
			}
		}
	})
}

// SplitPlain gives what the tokenizer gives, for every line it accepts.
func FuzzSplitPlain(f *testing.F) {
	for _, s := range []string{"GET VAR ups ups.status", "  LIST\tVAR u \r", "", "a=b", `x "y"`, "a#b", "\x7f", strings.Repeat("w ", 40)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		line = strings.ReplaceAll(line, "\n", " ")
		// A used slice, to show that what it held does not leak through.
		plain, ok := SplitPlain([]string{"stale", "words"}, []byte(line))
		if !ok {
			return
		}
		var tok Tokenizer
		if !tok.Idle() {
			t.Fatal("a new tokenizer is not idle")
		}
		for i := 0; i < len(line); i++ {
			if tok.Feed(line[i]) != More {
				t.Fatalf("line ended early at byte %d", i)
			}
		}
		if tok.Feed('\n') != Done {
			t.Fatal("no line at the newline")
		}
		if !tok.Idle() {
			t.Fatal("not idle after a line")
		}
		if w := tok.Words(); !slices.Equal(w, plain) || len(tok.Warnings()) > 0 {
			t.Fatalf("%q: tokenizer %q (warnings %q), SplitPlain %q", line, w, tok.Warnings(), plain)
		}
	})
}

// NextLine hands over every line, empty ones too, reports malformed ones
// and reads on after them.
func TestStreamNextLine(t *testing.T) {
	in := NewStream(bufio.NewReader(strings.NewReader("a b\n\n\"bad # inside\"\nc \"d e\"\n")))
	var got [][]string
	var bad []error
	for {
		w, err := in.NextLine(func(e error) { bad = append(bad, e) })
		if err != nil {
			if err != io.EOF {
				t.Fatal(err)
			}
			break
		}
		got = append(got, append([]string(nil), w...))
	}
	want := [][]string{{"a", "b"}, nil, {"c", "d e"}}
	if !reflect.DeepEqual(got, want) || len(bad) != 1 {
		t.Fatalf("got %q, bad %v; want %q and one bad line", got, bad, want)
	}
}
