package core

import (
	"fmt"
	"strconv"
	"strings"

	"gonut/internal/daemon"
)

// Args is a driver's command line, as NUT's drivers take it:
//
//	-a <id> | -s <id>   the ups.conf section, or a section made of -x only
//	-D (repeatable)     debug level; stays in the foreground
//	-d <count>          dump data after <count> updates and exit
//	-F, -FF             foreground (-FF also writes the PID file); -B background
//	-q                  quieter
//	-k                  power the UPS off
//	-c <command>        tell the running instance to reload, reload-or-exit,
//	                    reload-or-error or exit; -P <pid> names it
//	-i <seconds>        poll interval
//	-r <dir>, -u <user>, -g <group>
//	-x <var>=<val>      driver setting (overrides ups.conf)
//	-V, -h, -L          version, help, list of settings
type Args struct {
	daemon.Flags // -D, -F, -FF, -B, -q, -c, -P, -r, -u

	UPS       string
	Direct    bool // -s: no ups.conf section
	DumpAfter int  // -d; 0: not dumping
	Kill      bool
	Interval  int // -i seconds; 0: not given
	Group     string
	Settings  []Setting // -x, in order
	Version   bool
	Help      bool
	List      bool
}

// Setting is one driver setting from -x or ups.conf. Flag settings have no
// value ("-x nowait" or a bare "nowait" line).
type Setting struct {
	Key   string
	Value string
	Flag  bool
}

// ParseArgs reads a driver command line (without the program name). Like
// NUT's getopt string "+a:s:kDFBd:hx:Lqr:u:g:Vi:c:P:", options may be
// grouped (-DDD) and option arguments may be attached (-aups) or separate;
// parsing stops at the first non-option.
func ParseArgs(argv []string) (Args, error) {
	var a Args
	withArg := "asdxrugicP"
	for i := 0; i < len(argv); i++ {
		arg := argv[i]
		if arg == "--" {
			break
		}
		if len(arg) < 2 || arg[0] != '-' {
			return a, fmt.Errorf("unexpected argument %q", arg)
		}
		for j := 1; j < len(arg); j++ {
			opt := arg[j]
			var val string
			if strings.IndexByte(withArg, opt) >= 0 {
				if j+1 < len(arg) {
					val = arg[j+1:]
				} else if i+1 < len(argv) {
					i++
					val = argv[i]
				} else {
					return a, fmt.Errorf("option -%c needs a value", opt)
				}
				j = len(arg)
			}
			if err := a.apply(opt, val); err != nil {
				return a, err
			}
		}
	}
	return a, nil
}

func (a *Args) apply(opt byte, val string) error {
	num := func() (int, error) {
		n, err := strconv.Atoi(val)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("option -%c expects a whole number, not %q", opt, val)
		}
		return n, nil
	}
	if opt == 'c' {
		switch val {
		case "reload", "reload-or-error", "reload-or-exit", "exit":
		default:
			return fmt.Errorf("-c %q: expected reload, reload-or-error, reload-or-exit or exit", val)
		}
	}
	if ok, err := a.Take(opt, val); ok {
		return err
	}
	var err error
	switch opt {
	case 'a':
		a.UPS = val
	case 's':
		a.UPS, a.Direct = val, true
	case 'd':
		a.DumpAfter, err = num()
	case 'k':
		a.Kill = true
	case 'i':
		a.Interval, err = num()
	case 'g':
		a.Group = val
	case 'x':
		k, v, ok := strings.Cut(val, "=")
		if k == "" {
			return fmt.Errorf("-x %q: expected <var>=<value> or <flag>", val)
		}
		a.Settings = append(a.Settings, Setting{Key: k, Value: v, Flag: !ok})
	case 'V':
		a.Version = true
	case 'h':
		a.Help = true
	case 'L':
		a.List = true
	default:
		return fmt.Errorf("unknown option -%c (try -h)", opt)
	}
	return err
}
