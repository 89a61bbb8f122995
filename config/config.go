// Package config reads and writes NUT's configuration files: ups.conf,
// upsd.conf, upsd.users, upsmon.conf, upssched.conf and nut.conf.
//
// Every parser returns what it could read together with every problem it
// found, as *Error values naming the file and line. A bad line never stops
// the good ones from being read. Problems NUT itself only warns about
// (an unknown directive, a dropped character) are marked Warning.
package config

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"gonut/words"
)

// Error is a problem at a line of a configuration file.
type Error struct {
	File    string
	Line    int
	Msg     string
	Warning bool // NUT goes on as if the line were not there
}

func (e *Error) Error() string {
	if e.Warning {
		return fmt.Sprintf("%s:%d: warning: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}

// Fatal returns the errors that are not warnings.
func Fatal(errs []error) []error {
	var out []error
	for _, e := range errs {
		if ce, ok := e.(*Error); ok && ce.Warning {
			continue
		}
		out = append(out, e)
	}
	return out
}

// Setting is a line of a section: key = value, or a bare flag.
type Setting struct {
	Key   string
	Value string
	Flag  bool
	Line  int
}

// directive is a line of a directive-style file (upsd.conf, upsmon.conf,
// upssched.conf): its first word and the rest.
type directive struct {
	name string
	args []string
	line int
}

// lines reads a file's lines, turning tokenizer problems into errors.
func lines(file string, r io.Reader) ([]words.Line, []error) {
	var out []words.Line
	var errs []error
	s := words.NewScanner(r)
	for s.Scan() {
		l := s.Line()
		if l.Err != nil {
			errs = append(errs, &Error{File: file, Line: l.Num, Msg: l.Err.Error()})
			continue
		}
		for _, w := range l.Warnings {
			errs = append(errs, &Error{File: file, Line: l.Num, Msg: w, Warning: true})
		}
		out = append(out, l)
	}
	if err := s.Err(); err != nil {
		errs = append(errs, fmt.Errorf("%s: %w", file, err))
	}
	return out, errs
}

// errorf records a problem; warnf one NUT only warns about.
type problems struct {
	file string
	errs []error
}

func (p *problems) errorf(line int, format string, args ...any) {
	p.errs = append(p.errs, &Error{File: p.file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

func (p *problems) warnf(line int, format string, args ...any) {
	p.errs = append(p.errs, &Error{File: p.file, Line: line, Msg: fmt.Sprintf(format, args...), Warning: true})
}

// number reads a whole number argument, within [min, max].
func (p *problems) number(d directive, min, max int) (int, bool) {
	if len(d.args) < 1 {
		p.errorf(d.line, "%s needs a value", d.name)
		return 0, false
	}
	n, err := strconv.Atoi(d.args[0])
	if err != nil || n < min || n > max {
		p.errorf(d.line, "%s %q: expected a whole number from %d to %d", d.name, d.args[0], min, max)
		return 0, false
	}
	return n, true
}

// boolean reads NUT's booleans: true/false, on/off, yes/no, 1/0.
func (p *problems) boolean(d directive) (bool, bool) {
	if len(d.args) < 1 {
		p.errorf(d.line, "%s needs a value", d.name)
		return false, false
	}
	switch strings.ToLower(d.args[0]) {
	case "true", "on", "yes", "1":
		return true, true
	case "false", "off", "no", "0":
		return false, true
	}
	p.errorf(d.line, "%s %q: expected true/false, on/off, yes/no or 1/0", d.name, d.args[0])
	return false, false
}

// arity checks a directive's number of arguments.
func (p *problems) arity(d directive, min, max int, usage string) bool {
	if len(d.args) < min || (max >= 0 && len(d.args) > max) {
		p.errorf(d.line, "expected %s", usage)
		return false
	}
	return true
}

func directives(file string, r io.Reader) ([]directive, *problems) {
	ls, errs := lines(file, r)
	p := &problems{file: file, errs: errs}
	out := make([]directive, 0, len(ls))
	for _, l := range ls {
		out = append(out, directive{name: l.Words[0], args: l.Words[1:], line: l.Num})
	}
	return out, p
}

// load opens a file and parses it with parse.
func load[T any](path string, parse func(string, io.Reader) (T, []error)) (T, []error) {
	f, err := os.Open(path)
	if err != nil {
		var zero T
		return zero, []error{err}
	}
	defer f.Close()
	return parse(path, f)
}

// line writes one line of words, quoting as needed.
func line(b *strings.Builder, ws ...string) {
	for i, w := range ws {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(words.Word(w))
	}
	b.WriteByte('\n')
}
