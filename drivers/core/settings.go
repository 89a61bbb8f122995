package core

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"gonut/config"
)

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

// keys is the table of the keys a driver takes: the core's, then its own.
// NUT's driver core compares its own keys exactly (strcmp), though
// libnutconf, which config follows, also takes debug_min in any case;
// a driver's own keys it compares without case.
func keys(info Info) config.UPSKeys {
	table := config.CoreUPSKeys().In(config.InSection)
	for i := range table {
		table[i].Fold = false
	}
	return append(table, info.Options...)
}

// resolve merges the section's settings with -x ones (which win) and
// rejects what neither the core nor the driver knows, as NUT's drivers do.
func resolve(info Info, section, cmdline []Setting) (*resolved, error) {
	table := keys(info)
	r := &resolved{byKey: map[string]Setting{}}
	var errs []string
	for _, list := range [][]Setting{section, cmdline} {
		for _, s := range list {
			k, ok := table.Find(s.Key)
			switch {
			case !ok:
				errs = append(errs, fmt.Sprintf("'%s' is not a valid %s for %s (see %s -h)",
					s.Key, map[bool]string{true: "flag", false: "variable"}[s.Flag], info.Name, info.Name))
				continue
			case k.Flag() != s.Flag && !k.ValueIgnored:
				errs = append(errs, expectation(s.Key, k.Flag()))
				continue
			}
			key := strings.ToLower(s.Key)
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

// shown is the variable that shows a setting in the tree ("" none), and
// its value there.
func shown(table config.UPSKeys, s Setting) (name, value string) {
	k, _ := table.Find(s.Key)
	return k.ShownAs(s.Key), k.ShownValue(s.Value)
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
	return config.DefaultPollInterval * time.Second
}
