package core

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// DefaultPollInterval is NUT's default time between updates.
const DefaultPollInterval = 2 * time.Second

// coreKeys are the ups.conf keys the core itself handles, for every
// driver: how each is shown in the state tree, and whether it may change
// without a restart.
type coreKey struct {
	flag       bool
	reloadable bool
	show       string // variable that shows it ("" none)
}

func coreKeys() map[string]coreKey {
	return map[string]coreKey{
		"driver":                {},
		"port":                  {show: "driver.parameter.port"},
		"desc":                  {reloadable: true},
		"sdorder":               {reloadable: true},
		"maxstartdelay":         {reloadable: true},
		"maxretry":              {reloadable: true},
		"retrydelay":            {reloadable: true},
		"sddelay":               {reloadable: true},
		"user":                  {},
		"group":                 {},
		"pollinterval":          {reloadable: true, show: "driver.parameter.pollinterval"},
		"synchronous":           {reloadable: true, show: "driver.parameter.synchronous"},
		"sdcommands":            {reloadable: true, show: "driver.parameter.sdcommands"},
		"debug_min":             {reloadable: true},
		"LIBUSB_DEBUG":          {reloadable: true},
		"reconnect_max_tries":   {reloadable: true},
		"reconnect_report_freq": {reloadable: true},
		"nolock":                {flag: true, show: "driver.flag.nolock"},
		"ignorelb":              {flag: true, reloadable: true, show: "driver.flag.ignorelb"},
		"allow_killpower":       {flag: true, reloadable: true, show: "driver.flag.allow_killpower"},
	}
}

// resolved is a driver's settings after ups.conf and -x, checked against
// what the core and the driver accept.
type resolved struct {
	byKey map[string]Setting // lower-case key
	order []string
}

func (r *resolved) get(key string) (Setting, bool) {
	s, ok := r.byKey[strings.ToLower(key)]
	return s, ok
}

// resolve merges the section's settings with -x ones (which win) and
// rejects what neither the core nor the driver knows, as NUT's drivers do.
func resolve(info Info, section, cmdline []Setting) (*resolved, error) {
	core := coreKeys()
	opts := map[string]Option{}
	for _, o := range info.Options {
		opts[strings.ToLower(o.Name)] = o
	}
	r := &resolved{byKey: map[string]Setting{}}
	var errs []string
	for _, list := range [][]Setting{section, cmdline} {
		for _, s := range list {
			key := strings.ToLower(s.Key)
			if ck, ok := core[s.Key]; ok {
				if ck.flag != s.Flag && s.Key != "allow_killpower" {
					errs = append(errs, expectation(s.Key, ck.flag))
					continue
				}
			} else if o, ok := opts[key]; ok {
				if o.Flag != s.Flag {
					errs = append(errs, expectation(s.Key, o.Flag))
					continue
				}
			} else {
				errs = append(errs, fmt.Sprintf("'%s' is not a valid %s for %s (see %s -h)",
					s.Key, map[bool]string{true: "flag", false: "variable"}[s.Flag], info.Name, info.Name))
				continue
			}
			if _, seen := r.byKey[key]; !seen {
				r.order = append(r.order, key)
			}
			r.byKey[key] = s
		}
	}
	if d, ok := r.get("driver"); ok && d.Value != info.Name {
		errs = append(errs, fmt.Sprintf("this section is for driver '%s', but this is %s", d.Value, info.Name))
	}
	if s, ok := r.get("pollinterval"); ok {
		if n, err := strconv.Atoi(s.Value); err != nil || n < 1 {
			errs = append(errs, fmt.Sprintf("pollinterval %q: expected a whole number of seconds, at least 1", s.Value))
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return r, nil
}

func expectation(key string, flag bool) string {
	if flag {
		return fmt.Sprintf("'%s' is a flag: write it alone, without a value", key)
	}
	return fmt.Sprintf("'%s' needs a value: %s = <value>", key, key)
}

// reloadable reports whether a key may change without a restart.
func reloadable(info Info, key string) bool {
	if ck, ok := coreKeys()[key]; ok {
		return ck.reloadable
	}
	for _, o := range info.Options {
		if strings.EqualFold(o.Name, key) {
			return o.Reloadable
		}
	}
	return false
}

// shownAs is the variable that shows a setting in the tree: the core's
// own, or driver.parameter.<key> / driver.flag.<key> for driver options.
func shownAs(key string, flag bool) string {
	if ck, ok := coreKeys()[key]; ok {
		return ck.show
	}
	if flag {
		return "driver.flag." + key
	}
	return "driver.parameter." + key
}

func shownValue(s Setting) string {
	switch {
	case s.Key == "allow_killpower":
		return "1"
	case s.Flag:
		return "enabled"
	}
	return s.Value
}

// pollInterval is the interval the settings and the command line ask for.
func pollInterval(r *resolved, args Args) time.Duration {
	if args.Interval > 0 {
		return time.Duration(args.Interval) * time.Second
	}
	if s, ok := r.get("pollinterval"); ok {
		if n, err := strconv.Atoi(s.Value); err == nil && n > 0 {
			return time.Duration(n) * time.Second
		}
	}
	return DefaultPollInterval
}
