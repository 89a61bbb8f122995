package enumerator

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// SMF names: the driver service and the property groups the enumerator
// keeps in each instance (NUT's).
const (
	SMFService     = "svc:/system/power/nut-driver"
	SMFServer      = "svc:/system/power/nut-server:default"
	smfDepsPG      = "nut-driver-enumerator-generated"
	smfChecksumPG  = "nut-driver-enumerator-generated-checksum"
	smfDevicePG    = "nut-driver-enumerator-generated-devicename"
	smfChecksum    = "SECTION_CHECKSUM"
	smfDevice      = "DEVICE"
	smfMaxNameLen  = 119 // REP_PROTOCOL_NAME_LEN, less its NUL
	smfDefaultSbin = "/usr/sbin"
	smfDefaultBin  = "/usr/bin"
)

// SMFNaming names instances svc:/system/power/nut-driver:<name>.
func SMFNaming() Naming {
	return Naming{Valid: ValidSMFInstanceName, Unit: func(n string) string { return SMFService + ":" + n }}
}

// ValidSMFInstanceName reports whether SMF takes a name as an instance
// name (svc.configd checks it with libuutil's uu_check_name and
// UU_NAME_DOMAIN): a letter, then letters, digits, '-' and '_', at most
// 119 bytes, optionally after a "provider," that may also hold '.'.
// NUT's script asks svccfg and falls back to MD5_<hash> when it refuses.
func ValidSMFInstanceName(s string) bool {
	if len(s) > smfMaxNameLen {
		return false
	}
	ident := func(s string, dots bool) bool {
		if s == "" || !(s[0] >= 'a' && s[0] <= 'z' || s[0] >= 'A' && s[0] <= 'Z') {
			return false
		}
		for _, c := range []byte(s[1:]) {
			switch {
			case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_':
			case c == '.' && dots:
			default:
				return false
			}
		}
		return true
	}
	if provider, rest, ok := strings.Cut(s, ","); ok {
		return ident(provider, true) && ident(rest, false)
	}
	return ident(s, false)
}

// SMF is the SMF backend (illumos, Solaris): it keeps one instance of
// svc:/system/power/nut-driver per section, with the section's name and
// checksum in property groups and its device's needs in a dependency
// property group, as NUT's nut-driver-enumerator.sh does, driving
// svccfg, svcadm and svcs. An instance the admin disabled for good
// (svcadm disable, not -t) counts as masked: it is left alone.
type SMF struct {
	Svccfg, Svcadm, Svcs string // the commands (default /usr/sbin, /usr/sbin, /usr/bin)

	mu       sync.Mutex
	pgs      map[string]map[string]bool // instance: its property groups, as of the last Instances
	disabled map[string]bool            // instances disabled for good, as of the last Instances
	pending  map[string]bool            // defined since the last refresh
	gone     map[string]bool            // deleted by Undefine
}

// NewSMF uses the SMF commands in dir (their usual places when "").
func NewSMF(dir string) *SMF {
	if dir == "" {
		return &SMF{Svccfg: smfDefaultSbin + "/svccfg", Svcadm: smfDefaultSbin + "/svcadm", Svcs: smfDefaultBin + "/svcs"}
	}
	return &SMF{Svccfg: filepath.Join(dir, "svccfg"), Svcadm: filepath.Join(dir, "svcadm"), Svcs: filepath.Join(dir, "svcs")}
}

// HaveSMF reports whether the SMF commands are there (in dir, or their
// usual places): the system is managed by SMF.
func HaveSMF(dir string) bool {
	s := NewSMF(dir)
	for _, p := range []string{s.Svccfg, s.Svcadm, s.Svcs} {
		if fi, err := os.Stat(p); err != nil || fi.Mode()&0o111 == 0 {
			return false
		}
	}
	return true
}

// run runs one command, with stdin when it is not "".
func (s *SMF) run(ctx context.Context, stdin string, name string, args ...string) (string, error) {
	c := exec.CommandContext(ctx, name, args...)
	if stdin != "" {
		c.Stdin = strings.NewReader(stdin)
	}
	var out, errb bytes.Buffer
	c.Stdout, c.Stderr = &out, &errb
	if err := c.Run(); err != nil {
		return out.String(), fmt.Errorf("%s %s: %v: %s", filepath.Base(name), strings.Join(args, " "), err, strings.TrimSpace(errb.String()))
	}
	return out.String(), nil
}

func (s *SMF) fmri(name string) string { return SMFService + ":" + name }

// smfExport is what svccfg export says of the driver service.
type smfExport struct {
	Service struct {
		Instances []struct {
			Name    string `xml:"name,attr"`
			Enabled string `xml:"enabled,attr"`
			Deps    []struct {
				Name string `xml:"name,attr"`
			} `xml:"dependency"`
			PGs []struct {
				Name  string `xml:"name,attr"`
				Props []struct {
					Name  string `xml:"name,attr"`
					Value string `xml:"value,attr"`
				} `xml:"propval"`
			} `xml:"property_group"`
		} `xml:"instance"`
	} `xml:"service"`
}

// Instances reads every instance of the driver service, with its
// section and checksum, in one svccfg export. An instance without the
// section's property is named after its section (NUT's before 2.8.2).
func (s *SMF) Instances(ctx context.Context) ([]Existing, error) {
	out, err := s.run(ctx, "", s.Svccfg, "export", SMFService)
	if err != nil {
		return nil, fmt.Errorf("%w (is the nut-driver manifest imported?)", err)
	}
	list, pgs, disabled, err := parseSMFExport([]byte(out))
	if err != nil {
		return nil, fmt.Errorf("svccfg export %s: %v", SMFService, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pgs, s.disabled, s.gone = pgs, disabled, map[string]bool{}
	return list, nil
}

// parseSMFExport reads svccfg export's XML of the driver service: each
// instance with its section and checksum, the property groups each has,
// and which are disabled for good.
func parseSMFExport(b []byte) (list []Existing, pgs map[string]map[string]bool, disabled map[string]bool, err error) {
	var ex smfExport
	if err := xml.Unmarshal(b, &ex); err != nil {
		return nil, nil, nil, err
	}
	pgs, disabled = map[string]map[string]bool{}, map[string]bool{}
	for _, in := range ex.Service.Instances {
		e := Existing{Name: in.Name, Section: in.Name}
		have := map[string]bool{}
		for _, d := range in.Deps {
			have[d.Name] = true
		}
		for _, pg := range in.PGs {
			have[pg.Name] = true
			for _, p := range pg.Props {
				switch {
				case pg.Name == smfChecksumPG && p.Name == smfChecksum:
					e.Checksum = p.Value
				case pg.Name == smfDevicePG && p.Name == smfDevice:
					e.Section = p.Value
				}
			}
		}
		pgs[in.Name] = have
		disabled[in.Name] = in.Enabled == "false"
		list = append(list, e)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Name < list[j].Name })
	return list, pgs, disabled, nil
}

// Masked reports whether the admin disabled an existing instance for
// good: the enumerator neither redefines nor enables it.
func (s *SMF) Masked(_ context.Context, name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.disabled[name]
}

// svccfgQuote quotes a value for svccfg's command lexer.
func svccfgQuote(v string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(v) + `"`
}

// Define adds the instance (when new) and sets its property groups, in
// one svccfg session: the dependency on what its device needs (and on the
// drivers it relays), its section and the section's checksum.
func (s *SMF) Define(ctx context.Context, in Instance) error {
	s.mu.Lock()
	have, existed := s.pgs[in.Name]
	s.mu.Unlock()
	var b strings.Builder
	fmt.Fprintf(&b, "select %s\n", SMFService)
	if !existed {
		fmt.Fprintf(&b, "add %s\n", in.Name)
	}
	fmt.Fprintf(&b, "select %s\n", s.fmri(in.Name))
	for _, pg := range []string{smfDepsPG, smfChecksumPG, smfDevicePG} {
		if have[pg] {
			fmt.Fprintf(&b, "delpg %s\n", pg)
		}
	}
	if deps := SMFDependencies(in); len(deps) > 0 {
		fmt.Fprintf(&b, "addpg %s dependency\n", smfDepsPG)
		fmt.Fprintf(&b, "setprop %s/grouping = astring: optional_all\n", smfDepsPG)
		fmt.Fprintf(&b, "setprop %s/restart_on = astring: refresh\n", smfDepsPG)
		fmt.Fprintf(&b, "setprop %s/type = astring: service\n", smfDepsPG)
		fmt.Fprintf(&b, "setprop %s/entities = fmri: ( %s )\n", smfDepsPG, strings.Join(deps, " "))
	}
	fmt.Fprintf(&b, "addpg %s application\n", smfChecksumPG)
	fmt.Fprintf(&b, "setprop %s/%s = astring: %s\n", smfChecksumPG, smfChecksum, svccfgQuote(in.Checksum))
	fmt.Fprintf(&b, "addpg %s application\n", smfDevicePG)
	fmt.Fprintf(&b, "setprop %s/%s = astring: %s\n", smfDevicePG, smfDevice, svccfgQuote(in.Section))
	if _, err := s.run(ctx, b.String(), s.Svccfg); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pending == nil {
		s.pending = map[string]bool{}
	}
	s.pending[in.Name] = true
	return nil
}

// SMFDependencies are the FMRIs an instance depends on (optional_all):
// what its device needs, and the instances of the local devices it
// relays.
func SMFDependencies(in Instance) []string {
	_, deps := MediaDeps(in.Media)
	for _, n := range in.Needs {
		deps = append(deps, SMFService+":"+n)
	}
	return deps
}

// Undefine stops the instance and waits for it (temporarily disabled:
// SMF will not delete a running instance), then deletes it.
func (s *SMF) Undefine(ctx context.Context, name string) error {
	if _, err := s.run(ctx, "", s.Svcadm, "disable", "-ts", s.fmri(name)); err != nil {
		return err
	}
	if _, err := s.run(ctx, "", s.Svccfg, "-s", SMFService, "delete", name); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.gone == nil {
		s.gone = map[string]bool{}
	}
	s.gone[name] = true
	delete(s.pending, name)
	return nil
}

// Wanted has nothing to do: each instance is enabled on its own, and
// nut-server's dependency on the drivers is in the manifest.
func (s *SMF) Wanted(context.Context, []string) error { return nil }

// Refresh makes SMF take what Define changed (a running snapshot of
// each instance): svcadm refresh, one call for them all.
func (s *SMF) Refresh(ctx context.Context) error {
	s.mu.Lock()
	var fmris []string
	for n := range s.pending {
		fmris = append(fmris, s.fmri(n))
	}
	s.mu.Unlock()
	if len(fmris) == 0 {
		return nil
	}
	sort.Strings(fmris)
	if _, err := s.run(ctx, "", s.Svcadm, append([]string{"refresh"}, fmris...)...); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pending = nil
	return nil
}

// Stale reports whether an instance was defined and not refreshed yet:
// it must be, before it starts, to run with its dependencies.
func (s *SMF) Stale(_ context.Context, name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pending[name]
}

// Start enables the instance for good, as NUT's script does.
func (s *SMF) Start(ctx context.Context, name string) error {
	_, err := s.run(ctx, "", s.Svcadm, "enable", s.fmri(name))
	return err
}

// Stop disables the instance until the next boot and waits for it; one
// that Undefine deleted is stopped already.
func (s *SMF) Stop(ctx context.Context, name string) error {
	s.mu.Lock()
	gone := s.gone[name]
	s.mu.Unlock()
	if gone {
		return nil
	}
	_, err := s.run(ctx, "", s.Svcadm, "disable", "-ts", s.fmri(name))
	return err
}

// StartTemporary enables the instance until the next boot and waits for
// it (upsdrvsvcctl start, as NUT's).
func (s *SMF) StartTemporary(ctx context.Context, name string) error {
	_, err := s.run(ctx, "", s.Svcadm, "enable", "-ts", s.fmri(name))
	return err
}

func (s *SMF) Restart(ctx context.Context, name string) error {
	_, err := s.run(ctx, "", s.Svcadm, "restart", s.fmri(name))
	return err
}

// State is an instance's state as svcs tells it (online, offline,
// disabled, maintenance...), "" when unknown.
func (s *SMF) State(ctx context.Context, fmri string) string {
	out, err := s.run(ctx, "", s.Svcs, "-H", "-o", "state", fmri)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(out)
}

func (s *SMF) Active(ctx context.Context, name string) bool {
	switch s.State(ctx, s.fmri(name)) {
	case "online", "degraded":
		return true
	}
	return false
}

// ReloadServer refreshes nut-server when it runs (its refresh method
// runs upsd -c reload); NUT's script also enables it.
func (s *SMF) ReloadServer(ctx context.Context) error {
	if s.State(ctx, SMFServer) != "online" {
		return nil
	}
	_, err := s.run(ctx, "", s.Svcadm, "refresh", SMFServer)
	return err
}
