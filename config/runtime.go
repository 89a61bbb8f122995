package config

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gonut/nutenv"
)

// RuntimeSuffix ends the name of each runtime section's file.
const RuntimeSuffix = ".conf"

// LoadAllUPSConf reads ups.conf, then the runtime sections that
// nut-driver-enumerator wrote for hot-plugged devices (one file each in
// vars.HotplugDir(), in name order), marked Runtime. ups.conf wins: a
// runtime section named as one of its sections is an error and left out,
// as is anything but sections in a runtime file. A missing directory is
// no runtime section.
func LoadAllUPSConf(vars nutenv.Env) (*UPSConf, []error) {
	conf, errs := LoadUPSConf(vars.ConfFile(UPSConfFile))
	if conf == nil {
		return nil, errs
	}
	return conf, append(errs, AddRuntimeSections(conf, vars.HotplugDir())...)
}

// AddRuntimeSections appends the runtime sections of dir to conf.
func AddRuntimeSections(conf *UPSConf, dir string) []error {
	files, err := os.ReadDir(dir)
	if err != nil {
		if os.IsNotExist(err) {
			return nil
		}
		return []error{err}
	}
	var names []string
	for _, f := range files {
		if !f.IsDir() && strings.HasSuffix(f.Name(), RuntimeSuffix) {
			names = append(names, f.Name())
		}
	}
	sort.Strings(names)
	var errs []error
	for _, n := range names {
		path := filepath.Join(dir, n)
		c, more := LoadUPSConf(path)
		errs = append(errs, more...)
		if c == nil {
			continue
		}
		if len(c.Globals) > 0 {
			errs = append(errs, &Error{File: path, Line: c.Globals[0].Line, Msg: "global settings in a runtime section's file are ignored"})
		}
		for _, u := range c.UPS {
			if prev := conf.Find(u.Name); prev != nil {
				errs = append(errs, &Error{File: path, Line: u.Line,
					Msg: fmt.Sprintf("runtime section [%s] left out: %s:%d has a section of that name", u.Name, prev.File, prev.Line)})
				continue
			}
			u.Runtime = true
			conf.UPS = append(conf.UPS, u)
		}
	}
	return errs
}

// RuntimeFile is the file of a runtime section.
func RuntimeFile(dir, section string) string { return filepath.Join(dir, section+RuntimeSuffix) }

// WriteRuntimeSection writes one runtime section to its file in dir,
// whole or not at all (readers never see half of it).
func WriteRuntimeSection(dir string, u *UPS, header string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	path := RuntimeFile(dir, u.Name)
	tmp := path + ".new"
	text := header + (&UPSConf{UPS: []*UPS{u}}).Format()
	if err := os.WriteFile(tmp, []byte(text), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
