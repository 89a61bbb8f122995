// Package config reads and writes NUT's configuration files: ups.conf,
// upsd.conf, upsd.users, upsmon.conf, upssched.conf and nut.conf.
//
// The first five are tokenized by gonut/words, as NUT's programs tokenize
// them; nut.conf is a shell fragment and is read as a shell reads its plain
// assignments. Each file has a Parse function (from an io.Reader), a Load
// function (from disk) and a Format method that writes the value back as a
// file that parses to the same value.
//
// Every parser returns what it could read together with every problem it
// found (an AT line of upssched.conf keeps its own: see At.Problems),
// never stopping at the first: a bad line or a bad section never drops
// the good ones. Problems are *Error values naming the file and the line. Their Warning field tells the two kinds apart:
//
//   - an error (Warning false) is a line that is malformed or holds a value
//     that cannot be used; the line, or the one setting, is left out (or,
//     where NUT itself is lenient, read as NUT reads it, as documented at
//     each directive). Programs should refuse to start on errors that
//     concern them (see Fatal), except those that must run wherever NUT's
//     would, which refuse only what NUT's refuses (see Unusable);
//   - a warning (Warning true) is a line that is well-formed but has no
//     effect or not quite the effect it seems to ask for: an unknown or
//     obsolete directive, a repeated setting, words dropped by the
//     tokenizer. NUT logs these and goes on, and so should gonut.
//
// Open and read failures are returned as they are (not *Error), and then
// the Load functions return a nil value.
package config

import (
	"errors"
	"fmt"
)

// Error is a problem at a line of a configuration file.
type Error struct {
	File    string
	Line    int // 0: the problem is about the whole file
	Msg     string
	Warning bool // NUT goes on as if the line were not there, or logs and reads it
	// Unusable: NUT's program refuses to start on this error, and so
	// must gonut's (see Unusable).
	Unusable bool
}

func (e *Error) Error() string {
	kind := ""
	if e.Warning {
		kind = "warning: "
	}
	if e.Line <= 0 {
		return fmt.Sprintf("%s: %s%s", e.File, kind, e.Msg)
	}
	return fmt.Sprintf("%s:%d: %s%s", e.File, e.Line, kind, e.Msg)
}

// IsWarning reports whether err is an *Error that is only a warning.
func IsWarning(err error) bool {
	var ce *Error
	return errors.As(err, &ce) && ce.Warning
}

// Fatal returns the problems that are not warnings: errors, and failures
// to read the file.
func Fatal(errs []error) []error {
	var out []error
	for _, e := range errs {
		if !IsWarning(e) {
			out = append(out, e)
		}
	}
	return out
}

// Unusable returns the problems that NUT's program itself refuses to
// start on, and failures to read the file. A program that must run
// wherever NUT's would (upsmon, whose absence leaves a host unprotected)
// refuses only these, and runs on the rest of the file otherwise.
func Unusable(errs []error) []error {
	var out []error
	for _, e := range errs {
		var ce *Error
		if !errors.As(e, &ce) || ce.Unusable {
			out = append(out, e)
		}
	}
	return out
}

// Warnings returns the problems that are only warnings.
func Warnings(errs []error) []error {
	var out []error
	for _, e := range errs {
		if IsWarning(e) {
			out = append(out, e)
		}
	}
	return out
}

// problems collects what a parser finds in one file.
type problems struct {
	file string
	errs []error
}

func (p *problems) errorf(line int, format string, args ...any) {
	p.errs = append(p.errs, &Error{File: p.file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

func (p *problems) unusablef(line int, format string, args ...any) {
	p.errs = append(p.errs, &Error{File: p.file, Line: line, Msg: fmt.Sprintf(format, args...), Unusable: true})
}

func (p *problems) warnf(line int, format string, args ...any) {
	p.errs = append(p.errs, &Error{File: p.file, Line: line, Msg: fmt.Sprintf(format, args...), Warning: true})
}
