package words

import (
	"fmt"
	"strings"
)

// Default limits, NUT's PCONF_DEFAULT_ARG_LIMIT and PCONF_DEFAULT_WORDLEN_LIMIT.
const (
	DefaultMaxWords   = 32
	DefaultMaxWordLen = 512
)

type state uint8

const (
	findWordStart state = iota
	findEOL
	quoteCollect
	quoteLiteral
	collect
	collectLiteral
	startLiteral // a backslash before any word character
)

// Tokenizer consumes text a byte at a time and reports each completed
// line. Its zero value uses NUT's default limits. It is the building block
// for Scanner (files) and for the line readers of the network and driver
// socket protocols.
type Tokenizer struct {
	// MaxWords and MaxWordLen bound a line; zero means the default, a
	// negative value means no bound.
	MaxWords   int
	MaxWordLen int

	st       state
	word     []byte
	inWord   bool // a word has started (possibly empty, as with "")
	words    []string
	warnings []string
	err      error
	broken   bool // after an error, skip to the end of the physical line
	complete bool // a line was reported; the next Feed starts afresh
}

// Result is what Feed returns for each byte.
type Result int

const (
	More  Result = iota // the line is not complete yet
	Done                // a line is complete: call Words
	Error               // the line is malformed: call Err
)

func (t *Tokenizer) maxWords() int {
	switch {
	case t.MaxWords == 0:
		return DefaultMaxWords
	case t.MaxWords < 0:
		return int(^uint(0) >> 1)
	}
	return t.MaxWords
}

func (t *Tokenizer) maxWordLen() int {
	switch {
	case t.MaxWordLen == 0:
		return DefaultMaxWordLen
	case t.MaxWordLen < 0:
		return int(^uint(0) >> 1)
	}
	return t.MaxWordLen
}

// Words returns the words of the line just completed. The slice is the
// caller's to keep.
func (t *Tokenizer) Words() []string { return t.words }

// Warnings returns what was dropped from the line just completed
// (characters, over-long words, extra words), one sentence each.
func (t *Tokenizer) Warnings() []string { return t.warnings }

// Err returns why the line just reported as Error is malformed.
func (t *Tokenizer) Err() error { return t.err }

func (t *Tokenizer) reset() {
	t.complete = false
	t.broken = false
	t.st = findWordStart
	t.word = t.word[:0]
	t.inWord = false
	t.words = nil
	t.warnings = nil
	t.err = nil
}

func (t *Tokenizer) warnf(format string, args ...any) {
	if len(t.warnings) < 8 {
		t.warnings = append(t.warnings, fmt.Sprintf(format, args...))
	}
}

func (t *Tokenizer) add(c byte) {
	t.inWord = true
	if c < 0x20 || c > 0x7f {
		t.warnf("dropped character 0x%02x (only printable ASCII is kept)", c)
		return
	}
	if len(t.word) >= t.maxWordLen() {
		if len(t.word) == t.maxWordLen() {
			t.warnf("word longer than %d characters was cut", t.maxWordLen())
			t.word = append(t.word, 0) // mark as warned; removed in endWord
		}
		return
	}
	t.word = append(t.word, c)
}

func (t *Tokenizer) endWord() {
	w := t.word
	if len(w) > t.maxWordLen() {
		w = w[:t.maxWordLen()]
	}
	if len(t.words) >= t.maxWords() {
		if len(t.words) == t.maxWords() {
			t.warnf("words after the first %d on a line were dropped", t.maxWords())
			t.words = append(t.words, "") // mark as warned; removed in finish
		}
	} else {
		t.words = append(t.words, string(w))
	}
	t.word = t.word[:0]
	t.inWord = false
}

func (t *Tokenizer) finish() Result {
	if len(t.words) > t.maxWords() {
		t.words = t.words[:t.maxWords()]
	}
	return Done
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r'
}

// Feed consumes one byte. After Done or Error the next Feed starts a new
// line. After an Error, the rest of that physical line is skipped (NUT would
// parse it as a new line, which lets "a#b" in quotes smuggle a command).
func (t *Tokenizer) Feed(c byte) Result {
	if t.broken {
		if c == '\n' {
			t.reset()
		}
		return More
	}
	if t.complete {
		t.reset()
	}
	switch t.st {
	case findWordStart:
		switch {
		case c == '\n':
			return t.endLine()
		case c == '#':
			t.st = findEOL
		case isSpace(c):
		case c == '\\':
			t.st = startLiteral
		case c == '"':
			t.st = quoteCollect
			t.inWord = true
		case c == '=':
			t.add(c)
			t.endWord()
		default:
			t.add(c)
			t.st = collect
		}
	case findEOL:
		if c == '\n' {
			return t.endLine()
		}
	case quoteCollect:
		switch c {
		case '#':
			t.err = fmt.Errorf("unbalanced quotes: unescaped # inside a quoted word (write \\# or close the quote)")
			t.broken = true
			return Error
		case '"':
			t.endWord()
			t.st = findWordStart
		case '\\':
			t.st = quoteLiteral
		default:
			t.add(c)
		}
	case quoteLiteral:
		if c != '\n' {
			t.add(c)
		}
		t.st = quoteCollect
	case collect:
		switch {
		case c == '#':
			t.endWord()
			t.st = findEOL
		case c == '\n':
			t.endWord()
			return t.endLine()
		case isSpace(c):
			t.endWord()
			t.st = findWordStart
		case c == '=':
			t.endWord()
			t.add(c)
			t.endWord()
			t.st = findWordStart
		case c == '\\':
			t.st = collectLiteral
		default:
			t.add(c)
		}
	case collectLiteral:
		if c != '\n' {
			t.add(c)
		}
		t.st = collect
	case startLiteral:
		// A backslash-newline between words only joins the lines. (NUT
		// makes an empty word of it, so "port = \" followed by an
		// indented value would set port to "".)
		if c == '\n' {
			t.st = findWordStart
		} else {
			t.add(c)
			t.st = collect
		}
	}
	return More
}

// endLine completes a line at a newline. The words are kept until the
// next Feed.
func (t *Tokenizer) endLine() Result {
	r := t.finish()
	if t.words == nil {
		t.words = []string{}
	}
	t.complete = true
	return r
}

// Flush ends input: a line that was being built is completed as if a
// newline followed, except an open quote, which is an error.
func (t *Tokenizer) Flush() Result {
	if t.broken || t.complete {
		t.reset()
		return More
	}
	switch t.st {
	case quoteCollect, quoteLiteral:
		t.err = fmt.Errorf("unterminated quoted word at end of input (missing closing \")")
		return Error
	case collect, collectLiteral:
		t.endWord()
	case startLiteral:
		t.st = findWordStart
	}
	if len(t.words) == 0 {
		t.reset()
		return More
	}
	return t.endLine()
}

// Idle tells that the tokenizer holds no part of a line: what comes next
// starts a new one.
func (t *Tokenizer) Idle() bool {
	return t.complete || (t.st == findWordStart && !t.inWord && len(t.words) == 0 && !t.broken)
}

// plain tells a character the tokenizer takes as it is, in a word of its
// own: printable ASCII other than white space, '"', '#', '=' and the
// backslash.
func plain(c byte) bool {
	return c > ' ' && c < 0x7f && c != '"' && c != '\\' && c != '#' && c != '='
}

// SplitPlain splits a line (without its newline) of plain words
// separated by white space, within the default limits: the words a
// Tokenizer gives such a line, found faster. It appends them to dst[:0],
// so a caller may reuse one slice for every line, and cuts them all out
// of one copy of the line. For any other line ok is false, and the line
// must go through a Tokenizer.
func SplitPlain(dst []string, line []byte) (words []string, ok bool) {
	// The line is checked before it is copied: most bad lines cost nothing.
	n, start := 0, -1
	for i, c := range line {
		switch {
		case plain(c):
			if start < 0 {
				start, n = i, n+1
			}
			if i-start >= DefaultMaxWordLen || n > DefaultMaxWords {
				return nil, false
			}
		case isSpace(c):
			start = -1
		default:
			return nil, false
		}
	}
	words = dst[:0]
	if words == nil {
		words = make([]string, 0, max(n, 8))
	}
	text := string(line)
	start = -1
	for i := 0; i <= len(text); i++ {
		if i < len(text) && !isSpace(text[i]) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			words = append(words, text[start:i])
			start = -1
		}
	}
	return words, true
}

// Split tokenizes one line. A string holding several lines is an error; an
// unterminated quote is an error.
func Split(line string) ([]string, error) {
	var t Tokenizer
	for i := 0; i < len(line); i++ {
		switch t.Feed(line[i]) {
		case Error:
			return nil, t.Err()
		case Done:
			if strings.TrimSpace(line[i+1:]) != "" {
				return nil, fmt.Errorf("more than one line")
			}
			return t.Words(), nil
		}
	}
	if t.Flush() == Error {
		return nil, t.Err()
	}
	if t.words == nil {
		return []string{}, nil
	}
	return t.Words(), nil
}

// Escape puts a backslash before each '#', '\' and '"' of s: what NUT's
// pconf_encode does before a value goes inside quotes.
func Escape(s string) string {
	if !strings.ContainsAny(s, "#\\\"") {
		return s
	}
	return string(appendEscaped(make([]byte, 0, len(s)+4), s))
}

func appendEscaped(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if escaped(s[i]) {
			b = append(b, '\\')
		}
		b = append(b, s[i])
	}
	return b
}

// escaped tells the characters that Escape puts a backslash before.
func escaped(c byte) bool { return c == '#' || c == '\\' || c == '"' }

// CutEscaped returns the longest start of s whose Escape is at most n
// characters long: what NUT's pconf_encode keeps of s in a buffer of n+1
// bytes, never half an escape.
func CutEscaped(s string, n int) string {
	w := 0
	for i := 0; i < len(s); i++ {
		w++
		if escaped(s[i]) {
			w++
		}
		if w > n {
			return s[:i]
		}
	}
	return s
}

// Quote returns s as one quoted word: Split(Quote(s)) gives back s, as
// long as s is printable ASCII.
func Quote(s string) string { return `"` + Escape(s) + `"` }

// AppendQuote appends Quote(s) to b.
func AppendQuote(b []byte, s string) []byte {
	b = append(b, '"')
	return append(appendEscaped(b, s), '"')
}

// Word returns s as it is when it reads back as one word by itself, and
// quoted otherwise: the form a config file writer should use.
func Word(s string) string {
	if !IsPlain(s) {
		return Quote(s)
	}
	return s
}

// AppendWord appends Word(s) to b.
func AppendWord(b []byte, s string) []byte {
	if !IsPlain(s) {
		return AppendQuote(b, s)
	}
	return append(b, s...)
}

// IsPlain reports whether s is one word that needs no quotes: not empty,
// printable ASCII without white space, quotes, '\', '#' or '='. Every name
// of NUT (variables, commands, UPSes, users) is such a word.
func IsPlain(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !plain(s[i]) {
			return false
		}
	}
	return true
}
