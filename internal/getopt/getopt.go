// Package getopt reads command lines the way NUT's programs do with
// POSIX getopt(3) and a "+" option string: options may be grouped (-DDD),
// an option's value may be attached (-ufoo) or the next argument, and
// options end at "--" or the first argument that is not one.
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
	spec = strings.TrimPrefix(spec, "+")
	var opts []Opt
	for i := 0; i < len(argv); i++ {
		arg := argv[i]
		if arg == "--" {
			return opts, argv[i+1:], nil
		}
		if len(arg) < 2 || arg[0] != '-' {
			return opts, argv[i:], nil
		}
		for j := 1; j < len(arg); j++ {
			c := arg[j]
			k := strings.IndexByte(spec, c)
			if k < 0 || c == ':' {
				return opts, nil, fmt.Errorf("invalid option -- '%c'", c)
			}
			if k+1 < len(spec) && spec[k+1] == ':' {
				switch {
				case j+1 < len(arg):
					opts = append(opts, Opt{c, arg[j+1:]})
				case i+1 < len(argv):
					i++
					opts = append(opts, Opt{c, argv[i]})
				default:
					return opts, nil, fmt.Errorf("option requires an argument -- '%c'", c)
				}
				break
			}
			opts = append(opts, Opt{Name: c})
		}
	}
	return opts, nil, nil
}
