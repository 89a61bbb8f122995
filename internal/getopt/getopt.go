package getopt

import (
	"fmt"
	"strings"
)

// Opt is one option seen, with its value for options that take one.
type Opt struct {
	Name  byte
	Value string
}

// Parse reads argv (without the program name) against spec, getopt's
// option string ("lhu:p:" : letters, a colon after those taking a value).
// It returns the options in order and the arguments left.
func Parse(argv []string, spec string) ([]Opt, []string, error) {
	opts, rest, errs := parse(argv, spec, false)
	if len(errs) > 0 {
		return opts, nil, errs[0]
	}
	return opts, rest, nil
}

// ParseAll is Parse going on past unknown options, as glibc's getopt
// does for a program that only complains of them: each is returned as
// an error, and the rest is read.
func ParseAll(argv []string, spec string) ([]Opt, []string, []error) {
	return parse(argv, spec, true)
}

func parse(argv []string, spec string, lax bool) ([]Opt, []string, []error) {
	spec = strings.TrimPrefix(spec, "+")
	var opts []Opt
	var errs []error
	for i := 0; i < len(argv); i++ {
		arg := argv[i]
		if arg == "--" {
			return opts, argv[i+1:], errs
		}
		if len(arg) < 2 || arg[0] != '-' {
			return opts, argv[i:], errs
		}
		for j := 1; j < len(arg); j++ {
			c := arg[j]
			k := strings.IndexByte(spec, c)
			if k < 0 || c == ':' {
				errs = append(errs, fmt.Errorf("invalid option -- '%c'", c))
				if !lax {
					return opts, nil, errs
				}
				continue
			}
			if k+1 < len(spec) && spec[k+1] == ':' {
				switch {
				case j+1 < len(arg):
					opts = append(opts, Opt{c, arg[j+1:]})
				case i+1 < len(argv):
					i++
					opts = append(opts, Opt{c, argv[i]})
				default:
					return opts, nil, append(errs, fmt.Errorf("option requires an argument -- '%c'", c))
				}
				break
			}
			opts = append(opts, Opt{Name: c})
		}
	}
	return opts, nil, errs
}
