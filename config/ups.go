// Package config reads NUT's configuration files.
package config

import (
	"fmt"
	"io"
	"os"
	"strings"

	"gonut/words"
)

// Error is a problem at a line of a configuration file.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// Setting is one line of a section: key = value, or a bare flag.
type Setting struct {
	Key   string
	Value string
	Flag  bool
	Line  int
}

// UPS is one [section] of ups.conf.
type UPS struct {
	Name     string
	Line     int // the line of the [name] header
	EndLine  int // the last line of the section
	Settings []Setting
}

// Get returns a key's value.
func (u *UPS) Get(key string) (string, bool) {
	for _, s := range u.Settings {
		if s.Key == key && !s.Flag {
			return s.Value, true
		}
	}
	return "", false
}

// UPSConf is ups.conf.
type UPSConf struct {
	Globals []Setting
	UPS     []*UPS
}

// ParseUPSConf reads ups.conf; every problem is returned, and never stops
// the good sections from being read.
func ParseUPSConf(file string, r io.Reader) (*UPSConf, []error) {
	c := &UPSConf{}
	var errs []error
	var cur *UPS
	s := words.NewScanner(r)
	last := 0
	for s.Scan() {
		l := s.Line()
		last = l.Num
		if l.Err != nil {
			errs = append(errs, &Error{file, l.Num, l.Err.Error()})
			continue
		}
		w := l.Words
		if h := w[0]; len(h) >= 2 && h[0] == '[' && h[len(h)-1] == ']' {
			if cur != nil {
				cur.EndLine = l.Num - 1
			}
			cur = &UPS{Name: h[1 : len(h)-1], Line: l.Num}
			c.UPS = append(c.UPS, cur)
			continue
		}
		var set Setting
		switch {
		case len(w) == 1:
			set = Setting{Key: w[0], Flag: true, Line: l.Num}
		case len(w) >= 3 && w[1] == "=":
			set = Setting{Key: w[0], Value: w[2], Line: l.Num}
		default:
			errs = append(errs, &Error{file, l.Num, fmt.Sprintf("expected 'key = value' or a flag, got %q", strings.Join(w, " "))})
			continue
		}
		if cur == nil {
			c.Globals = append(c.Globals, set)
		} else {
			cur.Settings = append(cur.Settings, set)
		}
	}
	if cur != nil {
		cur.EndLine = last
	}
	if err := s.Err(); err != nil {
		errs = append(errs, err)
	}
	return c, errs
}

// LoadUPSConf reads ups.conf from disk.
func LoadUPSConf(path string) (*UPSConf, []error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, []error{err}
	}
	defer f.Close()
	return ParseUPSConf(path, f)
}
