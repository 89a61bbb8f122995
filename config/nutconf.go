package config

import (
	"fmt"
	"io"
	"strings"
)

// NutConf is nut.conf: shell variable assignments that NUT's service
// scripts source and systemd units read as an EnvironmentFile (MODE,
// UPSD_OPTIONS, UPSMON_OPTIONS, POWEROFF_WAIT, ALLOW_NO_DEVICE, ...).
type NutConf struct {
	Mode     string    // none, standalone, netserver or netclient; none when not set
	Settings []Setting // every assignment, in order (a later one wins, as in a shell)
	Exported []string  // the names given to export, in order
}

// Modes that MODE accepts.
const (
	ModeNone       = "none"
	ModeStandalone = "standalone"
	ModeNetServer  = "netserver"
	ModeNetClient  = "netclient"
)

var nutModes = []string{ModeNone, ModeStandalone, ModeNetServer, ModeNetClient}

// Get returns a variable's value.
func (c *NutConf) Get(key string) (string, bool) { return lookup(c.Settings, key, false) }

// ParseNutConf reads nut.conf as a shell would read its plain forms:
// NAME=value, NAME='value', NAME="value" (and values made of such
// parts), "export NAME" and "export NAME=value", comments, blank lines
// and backslash-newline. Anything a shell would expand or run ($VAR,
// $(...), `...`, ~, ;, |, a command) is an error: gonut reads this file,
// it does not run it. So is an assignment with spaces around '=' (a
// shell runs it as a command) and several assignments on one line (a
// shell and systemd's EnvironmentFile read those differently).
func ParseNutConf(file string, r io.Reader) (*NutConf, []error) {
	p := &problems{file: file}
	c := &NutConf{Mode: ModeNone}
	src, err := io.ReadAll(r)
	if err != nil {
		p.errs = append(p.errs, fmt.Errorf("%s: %w", file, err))
	}
	lx := &shellLexer{src: src, line: 1}
	exported := map[string]bool{}
	for {
		ws, lerr, more := lx.command()
		if lerr != nil {
			p.errorf(lerr.line, "%s", lerr.msg)
		} else {
			c.command(p, ws, exported)
		}
		if !more {
			break
		}
	}
	return c, p.errs
}

func (c *NutConf) command(p *problems, ws []shellWord, exported map[string]bool) {
	if len(ws) == 0 {
		return
	}
	if ws[0].plain && ws[0].text == "export" {
		if len(ws) == 1 {
			p.errorf(ws[0].line, "export without a name: expected export NAME")
		}
		for _, w := range ws[1:] {
			switch {
			case w.glob:
				p.errorf(w.line, "export %s: a shell would expand the unquoted *, ? or [: quote the value", w.text)
			case w.assign >= 0:
				c.assign(p, w)
				fallthrough
			case isName(w.text):
				name := w.text
				if w.assign >= 0 {
					name = w.text[:w.assign]
				}
				if !exported[name] {
					exported[name] = true
					c.Exported = append(c.Exported, name)
				}
			default:
				p.errorf(w.line, "export %q: expected export NAME or export NAME=value", w.text)
			}
		}
		return
	}
	for _, w := range ws {
		if w.assign < 0 {
			hint := ""
			if len(ws) > 1 && (ws[1].text == "=" || strings.HasPrefix(ws[1].text, "=")) && ws[1].plain {
				hint = " (no spaces around '=': a shell would run it as a command)"
			}
			p.errorf(ws[0].line, "expected NAME=value, export NAME or a comment, got a command %q%s: gonut reads nut.conf, it does not run it", joinWords(ws), hint)
			return
		}
	}
	if len(ws) > 1 {
		p.errorf(ws[0].line, "several assignments on one line (%s): a shell and systemd read this differently; write one NAME=value per line", joinWords(ws))
		return
	}
	c.assign(p, ws[0])
}

func (c *NutConf) assign(p *problems, w shellWord) {
	key, val := w.text[:w.assign], w.text[w.assign+1:]
	c.Settings = append(c.Settings, Setting{Key: key, Value: val, Line: w.line})
	if key != "MODE" {
		return
	}
	for _, m := range nutModes {
		if val == m {
			c.Mode = val
			return
		}
	}
	p.errorf(w.line, "MODE=%s: expected one of %s", shellQuote(val), strings.Join(nutModes, ", "))
}

func joinWords(ws []shellWord) string {
	var s []string
	for _, w := range ws {
		s = append(s, w.text)
	}
	return strings.Join(s, " ")
}

func isName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isNameChar(s[i], i == 0) {
			return false
		}
	}
	return true
}

func isNameChar(c byte, first bool) bool {
	return c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || !first && c >= '0' && c <= '9'
}

// shellWord is one word of a shell command, its quotes removed.
type shellWord struct {
	text   string
	assign int  // index of the '=' after a leading NAME: an assignment; else -1
	plain  bool // no quotes or backslashes (a keyword such as export)
	glob   bool // an unquoted *, ? or [
	line   int  // where the word starts
}

type lexError struct {
	line int
	msg  string
}

// shellLexer splits a file into commands of words, as a POSIX shell does
// for the forms nut.conf may use.
type shellLexer struct {
	src  []byte
	i    int
	line int
}

// command reads the words of the next command (up to an unquoted newline).
// more is false at the end of the input. After an error, the rest of
// that line is skipped.
func (lx *shellLexer) command() (ws []shellWord, err *lexError, more bool) {
	for {
		for lx.i < len(lx.src) {
			c := lx.src[lx.i]
			if c == ' ' || c == '\t' {
				lx.i++
			} else if c == '\\' && lx.i+1 < len(lx.src) && lx.src[lx.i+1] == '\n' {
				lx.i += 2
				lx.line++
			} else {
				break
			}
		}
		if lx.i >= len(lx.src) {
			return ws, nil, false
		}
		switch lx.src[lx.i] {
		case '\n':
			lx.i++
			lx.line++
			return ws, nil, true
		case '#':
			for lx.i < len(lx.src) && lx.src[lx.i] != '\n' {
				lx.i++
			}
			continue
		}
		w, err := lx.word()
		if err != nil {
			for lx.i < len(lx.src) && lx.src[lx.i] != '\n' {
				lx.i++
			}
			if lx.i < len(lx.src) {
				lx.i++
				lx.line++
			}
			return nil, err, lx.i < len(lx.src)
		}
		ws = append(ws, w)
	}
}

// word reads one word.
func (lx *shellLexer) word() (shellWord, *lexError) {
	w := shellWord{assign: -1, plain: true, line: lx.line}
	var b []byte
	nameSoFar := true // the unquoted characters so far make a NAME
	fail := func(line int, format string, args ...any) (shellWord, *lexError) {
		return w, &lexError{line: line, msg: fmt.Sprintf(format, args...)}
	}
	quoted := func() {
		w.plain = false
		if w.assign < 0 {
			nameSoFar = false
		}
	}
	for lx.i < len(lx.src) {
		c := lx.src[lx.i]
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			w.text = string(b)
			return w, nil
		case c == '\\':
			if lx.i+1 < len(lx.src) && lx.src[lx.i+1] == '\n' {
				lx.i += 2
				lx.line++
				continue
			}
			quoted()
			if lx.i+1 < len(lx.src) {
				b = append(b, lx.src[lx.i+1])
			}
			lx.i += 2
		case c == '\'':
			end := strings.IndexByte(string(lx.src[lx.i+1:]), '\'')
			if end < 0 {
				return fail(lx.line, "unterminated single quote: expected a closing '")
			}
			part := lx.src[lx.i+1 : lx.i+1+end]
			b = append(b, part...)
			lx.line += strings.Count(string(part), "\n")
			lx.i += end + 2
			quoted()
		case c == '"':
			start := lx.line
			lx.i++
			for {
				if lx.i >= len(lx.src) {
					return fail(start, "unterminated double quote: expected a closing \"")
				}
				d := lx.src[lx.i]
				if d == '"' {
					lx.i++
					break
				}
				switch {
				case d == '\\' && lx.i+1 < len(lx.src) && lx.src[lx.i+1] == '\n':
					lx.i += 2
					lx.line++
					continue
				case d == '\\' && lx.i+1 < len(lx.src) && strings.IndexByte("$`\"\\", lx.src[lx.i+1]) >= 0:
					b = append(b, lx.src[lx.i+1])
					lx.i += 2
					continue
				case d == '$' || d == '`':
					return fail(lx.line, "shell expansion (%c) inside double quotes: gonut reads nut.conf, it does not run it; use single quotes for a literal %c", d, d)
				case d == '\n':
					lx.line++
				}
				b = append(b, d)
				lx.i++
			}
			quoted()
		case c == '$' || c == '`':
			return fail(lx.line, "shell expansion (%c): gonut reads nut.conf, it does not run it; use single quotes for a literal %c", c, c)
		case strings.IndexByte(";&|<>()", c) >= 0:
			return fail(lx.line, "shell syntax %q: nut.conf may hold only NAME=value assignments, export and comments", c)
		case c == '~' && (len(b) == 0 || w.assign >= 0 && len(b) == w.assign+1):
			return fail(lx.line, "a shell would expand the unquoted ~: quote the value")
		case c == '=' && w.assign < 0 && nameSoFar && len(b) > 0:
			w.assign = len(b)
			b = append(b, c)
			lx.i++
		default:
			if w.assign < 0 && !isNameChar(c, len(b) == 0) {
				nameSoFar = false
			}
			if c == '*' || c == '?' || c == '[' {
				w.glob = true
			}
			b = append(b, c)
			lx.i++
		}
	}
	w.text = string(b)
	return w, nil
}

// LoadNutConf reads nut.conf from disk (see Path).
func LoadNutConf(path string) (*NutConf, []error) { return load(path, ParseNutConf) }

// Format writes the file back out: the assignments, then one export line.
func (c *NutConf) Format() string {
	var b strings.Builder
	for _, s := range c.Settings {
		b.WriteString(s.Key + "=" + shellQuote(s.Value) + "\n")
	}
	if len(c.Exported) > 0 {
		b.WriteString("export " + strings.Join(c.Exported, " ") + "\n")
	}
	return b.String()
}

// shellQuote returns s as a shell word: bare when it is safe, in single
// quotes when it has no ', else in double quotes.
func shellQuote(s string) string {
	safe := s != ""
	for i := 0; i < len(s) && safe; i++ {
		c := s[i]
		safe = isNameChar(c, false) || strings.IndexByte("-./:,+@%", c) >= 0
	}
	switch {
	case safe:
		return s
	case !strings.Contains(s, "'"):
		return "'" + s + "'"
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "$", `\$`, "`", "\\`")
	return `"` + r.Replace(s) + `"`
}
