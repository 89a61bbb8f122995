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
