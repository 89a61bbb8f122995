package core

import (
	"errors"
	"fmt"

	"gonut/config"
	"gonut/nutenv"
)

// LoadSection reads the settings of one UPS from ups.conf (or from the
// runtime section nut-driver-enumerator wrote for it). Problems in
// other sections are not this driver's: only errors on this section's
// lines (or a file that cannot be read) stop it.
func LoadSection(vars nutenv.Env, ups string) ([]Setting, error) {
	path := vars.ConfFile("ups.conf")
	conf, errs := config.LoadAllUPSConf(vars)
	if conf == nil {
		return nil, errors.Join(errs...)
	}
	for _, u := range conf.UPS {
		if u.Name != ups {
			continue
		}
		var mine []error
		for _, e := range config.Fatal(errs) {
			var ce *config.Error
			if errors.As(e, &ce) && ce.File == u.File && ce.Line >= u.Line && ce.Line <= u.EndLine {
				mine = append(mine, e)
			}
		}
		if err := errors.Join(mine...); err != nil {
			return nil, err
		}
		out := make([]Setting, 0, len(u.Settings))
		for _, s := range u.Settings {
			out = append(out, Setting{Key: s.Key, Value: s.Value, Flag: s.Flag})
		}
		return out, nil
	}
	return nil, fmt.Errorf("section [%s] not found in %s", ups, path)
}
