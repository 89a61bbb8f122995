package enumerator

import (
	"context"
	"fmt"
	"strings"

	"gonut/nutenv"
)

// Framework is the service manager the enumerator and upsdrvsvcctl
// drive: NUT's SERVICE_FRAMEWORK when set, else "smf" where SMF's
// commands are (in GONUT_SMF_BINDIR when set), else "systemd".
func Framework(vars nutenv.Env) string {
	if f := vars("SERVICE_FRAMEWORK"); f != "" {
		return f
	}
	if HaveSMF(vars("GONUT_SMF_BINDIR")) {
		return "smf"
	}
	return "systemd"
}

// NamingFor is how a framework names driver instances.
func NamingFor(framework string) Naming {
	if framework == "smf" {
		return SMFNaming()
	}
	return SystemdNaming()
}

// InstanceOf is the instance name in a unit name or FMRI
// (nut-driver@x.service, svc:/system/power/nut-driver:x, nut-driver:x).
func InstanceOf(unit string) string {
	for _, p := range []string{SMFService + ":", Service + ":", Service + "@"} {
		if n, ok := strings.CutPrefix(unit, p); ok {
			return strings.TrimSuffix(n, ".service")
		}
	}
	return unit
}

// manager is a backend as the commands use it.
type manager interface {
	Backend
	Close()
	// autoStart reports whether new instances start now.
	autoStart(ctx context.Context) bool
	// control starts or stops an instance for upsdrvsvcctl.
	control(ctx context.Context, verb, name string) error
	// status is an instance's state, for upsdrvsvcctl.
	status(ctx context.Context, name string) string
}

func openManager(ctx context.Context, vars nutenv.Env, framework string) (manager, error) {
	switch framework {
	case "smf":
		return NewSMF(vars("GONUT_SMF_BINDIR")), nil
	case "systemd":
		return newSystemdManager(ctx, vars("NUT_SYSTEMD_DROPIN_DIR"))
	}
	return nil, fmt.Errorf("unknown service framework %q (SERVICE_FRAMEWORK: systemd or smf)", framework)
}

// Close has nothing to close: each call is a command of its own.
func (s *SMF) Close() {}

// autoStart: new instances start at once, as NUT's script (AUTO_START)
// does.
func (s *SMF) autoStart(context.Context) bool { return true }

// control enables or disables the instance until the next boot and
// waits for it, as NUT's upsdrvsvcctl does.
func (s *SMF) control(ctx context.Context, verb, name string) error {
	if verb == "stop" {
		return s.Stop(ctx, name)
	}
	return s.StartTemporary(ctx, name)
}

func (s *SMF) status(ctx context.Context, name string) string { return s.State(ctx, s.fmri(name)) }
