package config

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
)

// Piece is a part of NUT that nut.conf's MODE starts on a host, or not.
type Piece int

// The pieces MODE decides on.
const (
	PieceDrivers Piece = iota // the drivers and nut-driver-enumerator
	PieceServer               // upsd
	PieceMonitor              // upsmon
)

func (p Piece) String() string {
	switch p {
	case PieceDrivers:
		return "drivers"
	case PieceServer:
		return "upsd"
	case PieceMonitor:
		return "upsmon"
	}
	return fmt.Sprintf("Piece(%d)", int(p))
}

// Starts tells whether MODE starts piece on this host, as NUT's systemd
// units decide (their ExecCondition): none starts nothing, netclient only
// upsmon, standalone and netserver all three. A nut.conf without MODE,
// or no nut.conf (c nil), starts all three too: the units then run and
// say what is missing, rather than keep a configured host unprotected.
func (c *NutConf) Starts(p Piece) bool {
	mode := ModeStandalone
	if c != nil {
		if m, ok := c.Get("MODE"); ok {
			mode = m
		}
	}
	switch mode {
	case ModeNone:
		return false
	case ModeNetClient:
		return p == PieceMonitor
	}
	return true
}

// LoadNutMode reads nut.conf for what its MODE starts: no file is no
// MODE (nil, no error). A MODE that is not one of NUT's four is an error
// naming the file and line; so are the file's other errors when it has no
// MODE that gonut could read (a MODE line a shell would not read as an
// assignment must not be taken for no MODE).
func LoadNutMode(path string) (*NutConf, error) {
	c, errs := LoadNutConf(path)
	if c == nil {
		if len(errs) > 0 && errors.Is(errs[0], fs.ErrNotExist) {
			return nil, nil
		}
		return nil, errors.Join(errs...)
	}
	m, ok := c.Get("MODE")
	if ok && c.Mode == m {
		return c, nil
	}
	if ok {
		for _, e := range errs {
			var ce *Error
			if errors.As(e, &ce) && strings.HasPrefix(ce.Msg, "MODE=") {
				return nil, e
			}
		}
	}
	if fatal := Fatal(errs); len(fatal) > 0 {
		return nil, errors.Join(fatal...)
	}
	return c, nil
}
