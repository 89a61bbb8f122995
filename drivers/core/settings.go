package core

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"gonut/config"
	"gonut/state"
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
			if _, _, tree := treeSetting(s.Key); tree {
				if s.Flag {
					errs = append(errs, expectation(s.Key, false))
					continue
				}
			} else if k, ok := table.Find(s.Key); !ok {
				errs = append(errs, fmt.Sprintf("'%s' is not a valid %s for %s (see %s -h)",
					s.Key, map[bool]string{true: "flag", false: "variable"}[s.Flag], info.Name, info.Name))
				continue
			} else if k.Flag() != s.Flag && !k.ValueIgnored {
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

// treeSetting reads a key that sets a variable of the state tree, as
// every NUT driver takes it: default.<var> gives the variable a value the
// driver may change, override.<var> one it may not (NUT's storeval).
func treeSetting(key string) (name string, override, ok bool) {
	for _, p := range []string{"default.", "override."} {
		if len(key) > len(p) && strings.EqualFold(key[:len(p)], p) {
			return key[len(p):], p == "override.", true
		}
	}
	return "", false, false
}

// applyTreeSettings sets the default.* and override.* variables.
func applyTreeSettings(r *resolved, t *state.Tree) {
	for _, k := range r.order {
		s := r.byKey[k]
		if name, override, ok := treeSetting(s.Key); ok {
			t.Set(name, s.Value)
			if override {
				t.AddFlags(name, state.Immutable)
			}
		}
	}
}
