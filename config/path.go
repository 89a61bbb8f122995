package config

import (
	"io"
	"os"

	"gonut/nutenv"
)

// The configuration files, by the names NUT gives them.
const (
	UPSConfFile      = "ups.conf"
	UpsdConfFile     = "upsd.conf"
	UpsdUsersFile    = "upsd.users"
	UpsmonConfFile   = "upsmon.conf"
	UpsschedConfFile = "upssched.conf"
	NutConfFile      = "nut.conf"
)

// Path is where NUT's programs look for a configuration file: in
// $NUT_CONFPATH when it is set and not empty, else in /etc/nut (Debian's
// CONFPATH). name is a file name such as UPSConfFile.
func Path(name string) string { return PathIn(nutenv.OS(), name) }

// PathIn is Path with the environment given explicitly (a map in tests).
func PathIn(env nutenv.Env, name string) string { return env.ConfFile(name) }

// load opens a file and parses it. When the file cannot be opened, the
// value is nil and the only problem is the open error.
func load[T any](path string, parse func(string, io.Reader) (T, []error)) (T, []error) {
	f, err := os.Open(path)
	if err != nil {
		var zero T
		return zero, []error{err}
	}
	defer f.Close()
	return parse(path, f)
}
