package enumerator

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"

	"gonut/config"
	"gonut/enumerator/hotplug"
	"gonut/enumerator/udevwatch"
	"gonut/internal/cli"
	"gonut/internal/sdnotify"
	"gonut/internal/version"
	"gonut/nutenv"
	"gonut/words"
)

// usage is the help of NUT 2.8.0's nut-driver-enumerator.sh (%[1]s: the
// program as it was run), then gonut's additions.
const usage = `%[1]s (no args)
        Update wrapping of devices into services
%[1]s --daemon(=freq)
        Update wrapping of devices into services in an infinite loop
        Default freq is 60 sec
%[1]s --reconfigure
        Stop and un-register all service instances and recreate them
        (e.g. if new dependency template was defined in a new
        version of this script and/or NUT package)
%[1]s --get-service-framework
        Print the detected service
        management framework in this OS
%[1]s --list-devices
        Print list of devices in NUT config
%[1]s --list-services
        Print list of service instances which wrap registered
        NUT devices (full name of service unit)
%[1]s --list-instances
        Print list of service instances which wrap registered
        NUT devices (just instance suffix)
%[1]s --get-service-for-device DEV
        Print the full name of service unit which wraps a NUT
        device named "DEV"
%[1]s --get-device-for-service SVC
        Print the NUT device name for full or instance-suffix name of
        a service unit which wraps it
%[1]s --list-services-for-devices
        Print a TAB-separated list of service units and corresponding
        NUT device names which each such unit wraps
%[1]s --show-configs|--show-all-configs
        Show the complete normalized list of device configuration blocks
%[1]s --show-config DEV
%[1]s --show-device-config DEV
        Show configuration block of the specified NUT device
%[1]s --show-device-config-value DEV KEY [KEY...]
        Show single configuration key value of the specified NUT device
        For flags, shows the flag name if present in the section
        If several keys or flags are requested, their values are reported
        one per line in the same order (including empty lines for missing
        values); any missing value yields a non-zero exit code.

%[2]s
%[1]s update
        The same as no args
%[1]s --daemon(=freq)
        Also updates as soon as ups.conf changes (inotify), and keeps
        one instance per USB UPS plugged in (nut.conf's NUT_HOTPLUG:
        all, the default; matched, only sections of ups.conf; off)
%[1]s --list-devices
        Then the runtime sections of hot-plugged USB devices
`

// Main runs nut-driver-enumerator; it returns the exit code.
func Main(argv []string, vars nutenv.Env, std cli.Stdio) int {
	args, stdout, stderr := cli.Args(argv), std.Out, std.Err
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "nut-driver-enumerator: "+format+"\n", a...)
		return 1
	}
	op := "update"
	var opArgs []string
	if len(args) > 0 {
		op, opArgs = args[0], args[1:]
	}
	switch op {
	case "--help", "-h":
		prog := cli.Called(argv, "nut-driver-enumerator")
		fmt.Fprintf(stdout, usage, prog, version.Additions)
		return 0
	case "--show-all-configs": // NUT's other names
		op = "--show-configs"
	case "--show-device-config":
		op = "--show-config"
	}
	if !known(op) {
		fmt.Fprintf(stderr, "Unrecognized argument: %s\n", op)
		return 1
	}
	confFile := vars.ConfFile("ups.conf")
	load := func() (*config.UPSConf, error) { return loadUPSConf(vars, stderr) }
	conf, err := load()
	if err != nil {
		return fail("%v", err)
	}
	framework := Framework(vars)
	naming := NamingFor(framework)
	plan := PlanFor(conf, naming)
	find := func(dev string) (Instance, bool) {
		for _, in := range plan {
			if in.Section == dev {
				return in, true
			}
		}
		return Instance{}, false
	}
	switch op {
	case "--list-devices":
		if len(conf.UPS) == 0 {
			fmt.Fprintf(stderr, "No devices detected in '%s'\n", confFile)
			return 1
		}
		// Names alone on stdout, as NUT's: scripts read them. The runtime
		// sections come last, under a header of their own.
		var names, runtime []string
		for _, u := range conf.UPS {
			if u.Runtime {
				runtime = append(runtime, u.Name)
			} else {
				names = append(names, u.Name)
			}
		}
		sort.Strings(names)
		sort.Strings(runtime)
		if len(names) > 0 {
			fmt.Fprintf(stderr, "=== The currently defined configurations in '%s' are:\n", confFile)
		}
		for _, n := range names {
			fmt.Fprintln(stdout, n)
		}
		if len(runtime) > 0 {
			fmt.Fprintf(stderr, "=== Runtime sections for hot-plugged USB devices, in '%s':\n", vars.HotplugDir())
		}
		for _, n := range runtime {
			fmt.Fprintln(stdout, n)
		}
		return 0
	case "--get-service-framework":
		fmt.Fprintln(stdout, framework)
		return 0
	case "--get-service-for-device":
		if len(opArgs) != 1 {
			return fail("--get-service-for-device needs a device name")
		}
		in, ok := find(opArgs[0])
		if !ok {
			return fail("no section [%s] in %s", opArgs[0], confFile)
		}
		fmt.Fprintln(stdout, in.Unit())
		return 0
	case "--get-device-for-service":
		if len(opArgs) != 1 {
			return fail("--get-device-for-service needs a service name")
		}
		name := InstanceOf(opArgs[0])
		for _, in := range plan {
			if in.Name == name {
				fmt.Fprintln(stdout, in.Section)
				return 0
			}
		}
		return fail("no section of %s for service instance %s", confFile, name)
	case "--list-services-for-devices":
		printServices(stdout, plan)
		return 0
	case "--show-configs":
		// NUT's script prints its normalised ups.conf: key=value lines.
		showSettings(stdout, conf.Globals)
		for _, u := range conf.UPS {
			fmt.Fprintf(stdout, "[%s]\n", u.Name)
			showSettings(stdout, u.Settings)
		}
		if len(conf.UPS) == 0 {
			fmt.Fprintf(stderr, "WARNING: No devices detected in '%s'\n", confFile)
			return 1
		}
		return 0
	case "--show-config", "--show-device-config-value":
		if op == "--show-device-config-value" && len(opArgs) < 2 {
			return fail("%s needs a device name (empty for the global settings) and keys", op)
		}
		settings := conf.Globals
		if len(opArgs) == 0 || opArgs[0] == "" {
			fmt.Fprintln(stderr, "WARNING: Device name argument empty, will show global config")
		} else {
			u := conf.Find(opArgs[0])
			if u == nil {
				return fail("no section [%s] in %s", opArgs[0], confFile)
			}
			settings = u.Settings
			if op == "--show-config" {
				fmt.Fprintf(stdout, "[%s]\n", u.Name)
			}
		}
		if op == "--show-config" {
			showSettings(stdout, settings)
			return 0
		}
		code := 0
		for _, k := range opArgs[1:] {
			s, ok := lastSetting(settings, k)
			switch {
			case !ok:
				fmt.Fprintf(stderr, "nut-driver-enumerator: no %s in [%s]\n", k, opArgs[0])
				fmt.Fprintln(stdout)
				code = 1
			case s.Flag:
				fmt.Fprintln(stdout, s.Key)
			default:
				fmt.Fprintln(stdout, s.Value)
			}
		}
		return code
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b, err := openManager(ctx, vars, framework)
	if err != nil {
		return fail("%v", err)
	}
	defer b.Close()
	switch op {
	case "--list-services", "--list-instances":
		ex, err := b.Instances(ctx)
		if err != nil {
			return fail("%v", err)
		}
		for _, e := range ex {
			if op == "--list-services" {
				fmt.Fprintln(stdout, naming.Unit(e.Name))
			} else {
				fmt.Fprintln(stdout, e.Name)
			}
		}
		return 0
	case "update", "--reconfigure":
		local, why, err := localDrivers(vars, conf)
		if err != nil {
			return fail("%v", err)
		}
		if why != "" {
			fmt.Fprintf(stderr, "nut-driver-enumerator: %s\n", why)
		}
		plan = PlanFor(local, naming)
		if op == "--reconfigure" {
			ex, _ := b.Instances(ctx)
			for _, e := range ex {
				b.Undefine(ctx, e.Name)
			}
		}
		if _, err := Reconcile(ctx, b, plan, DriverReloader(conf), b.autoStart(ctx), stderr); err != nil {
			return fail("%v", err)
		}
		return 0
	}
	if op == "--daemon" || strings.HasPrefix(op, "--daemon=") {
		every := 60 * time.Second
		if v, ok := strings.CutPrefix(op, "--daemon="); ok {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				return fail("--daemon=%s: expected a number of seconds", v)
			}
			every = time.Duration(n) * time.Second
		}
		return daemon(ctx, b, naming, vars, every, stderr)
	}
	fmt.Fprintf(stderr, usage, cli.Called(argv, "nut-driver-enumerator"), version.Additions)
	return 1
}

// known tells the options Main takes.
func known(op string) bool {
	switch op {
	case "update", "--reconfigure", "--daemon", "--list-devices", "--list-services", "--list-instances",
		"--get-service-for-device", "--get-device-for-service", "--list-services-for-devices",
		"--show-configs", "--show-config", "--show-device-config-value", "--get-service-framework":
		return true
	}
	return strings.HasPrefix(op, "--daemon=")
}

// showSettings prints settings as NUT's script prints its normalised
// ups.conf: key=value, quoted when the value holds spaces or quotes; a
// flag alone.
func showSettings(w io.Writer, settings []config.Setting) {
	for _, s := range settings {
		switch {
		case s.Flag:
			fmt.Fprintln(w, s.Key)
		case strings.ContainsAny(s.Value, " \t\"\\#") || s.Value == "":
			fmt.Fprintf(w, "%s=%s\n", s.Key, words.Quote(s.Value))
		default:
			fmt.Fprintf(w, "%s=%s\n", s.Key, s.Value)
		}
	}
}

// lastSetting is the last setting named key (case as NUT's script reads
// it: exactly).
func lastSetting(settings []config.Setting, key string) (config.Setting, bool) {
	for i := len(settings) - 1; i >= 0; i-- {
		if settings[i].Key == key {
			return settings[i], true
		}
	}
	return config.Setting{}, false
}

// loadUPSConf reads ups.conf, telling its problems; only a file that
// cannot be read at all is an error.
func loadUPSConf(vars nutenv.Env, stderr io.Writer) (*config.UPSConf, error) {
	conf, errs := config.LoadAllUPSConf(vars)
	for _, e := range errs {
		fmt.Fprintln(stderr, e)
	}
	if conf == nil {
		return nil, fmt.Errorf("cannot read %s", vars.ConfFile("ups.conf"))
	}
	return conf, nil
}

// localDrivers is the part of ups.conf whose drivers run on this host:
// all of it, unless nut.conf's MODE starts no drivers (none, netclient),
// as NUT's units would not start them; why says so then.
func localDrivers(vars nutenv.Env, conf *config.UPSConf) (local *config.UPSConf, why string, err error) {
	file := vars.ConfFile("nut.conf")
	mode, err := config.LoadNutMode(file)
	if err != nil {
		return nil, "", err
	}
	if mode.Starts(config.PieceDrivers) {
		return conf, "", nil
	}
	return &config.UPSConf{Globals: conf.Globals}, fmt.Sprintf("MODE=%s in %s: no drivers run on this host (%d sections of ups.conf left out)", mode.Mode, file, len(conf.UPS)), nil
}

// printServices lists sections and their units, a line each; a runtime
// section (a hot-plugged device's) says so in a third column.
func printServices(w io.Writer, plan []Instance) {
	for _, in := range plan {
		if in.Runtime {
			fmt.Fprintf(w, "%s\t%s\truntime\n", in.Section, in.Unit())
		} else {
			fmt.Fprintf(w, "%s\t%s\n", in.Section, in.Unit())
		}
	}
}

// DriverReloader asks a driver to re-read its section the way NUT master's
// enumerator does: "<driver> -a <section> -c reload-or-error".
func DriverReloader(conf *config.UPSConf) Reloader {
	return func(ctx context.Context, in Instance) error {
		bin := filepath.Join(conf.DriverPath(), in.Driver)
		ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		out, err := exec.CommandContext(ctx, bin, "-a", in.Section, "-c", "reload-or-error").CombinedOutput()
		if err != nil {
			return fmt.Errorf("%s -c reload-or-error: %v: %s", bin, err, strings.TrimSpace(string(out)))
		}
		return nil
	}
}

// daemon reconciles now, then on every change of ups.conf or nut.conf
// (their directory is watched: editors replace files), whenever a USB
// device comes or goes (udev), on SIGHUP (SMF's refresh) and every period.
func daemon(ctx context.Context, b Backend, naming Naming, vars nutenv.Env, every time.Duration, log io.Writer) int {
	confFile, nutConf := vars.ConfFile("ups.conf"), vars.ConfFile("nut.conf")
	notify := sdnotify.New()
	w, err := fsnotify.NewWatcher()
	if err != nil {
		fmt.Fprintf(log, "nut-driver-enumerator: inotify: %v\n", err)
		return 1
	}
	defer w.Close()
	if err := w.Add(filepath.Dir(confFile)); err != nil {
		fmt.Fprintf(log, "nut-driver-enumerator: watching %s: %v\n", filepath.Dir(confFile), err)
		return 1
	}
	// Listening to udev before the first reconcile: the devices plugged
	// in now (coldplug) have their runtime sections in the first plan,
	// and those told of again by an event are the same devices.
	present, events, err := udevwatch.Watch(ctx)
	if err != nil {
		fmt.Fprintf(log, "nut-driver-enumerator: USB hot-plug off: %v\n", err)
	}
	hp := NewHotplug(vars.HotplugDir(), present)
	var policyErr, lastWhy string
	run := func() {
		start := time.Now()
		conf, errs := config.LoadUPSConf(confFile)
		for _, e := range errs {
			fmt.Fprintln(log, e)
		}
		if conf == nil {
			fmt.Fprintf(log, "nut-driver-enumerator: cannot read %s\n", confFile)
			return
		}
		policy, err := readPolicy(nutConf)
		if msg := fmt.Sprint(err); err != nil && msg != policyErr {
			fmt.Fprintf(log, "nut-driver-enumerator: %v\n", err)
		}
		policyErr = fmt.Sprint(err)
		// nut.conf's MODE: no drivers at all (nor hot-plugged ones) on a
		// host that runs none; a MODE gonut cannot read changes nothing.
		local, why, err := localDrivers(vars, conf)
		if err != nil {
			fmt.Fprintf(log, "nut-driver-enumerator: %v\n", err)
			return
		}
		if why != lastWhy && why != "" {
			fmt.Fprintf(log, "nut-driver-enumerator: %s\n", why)
		}
		if lastWhy = why; why != "" {
			conf, policy = local, hotplug.Off
		}
		claimed, err := hp.Sync(conf, policy, log)
		if err != nil {
			fmt.Fprintf(log, "nut-driver-enumerator: runtime sections: %v\n", err)
		}
		for _, e := range config.AddRuntimeSections(conf, hp.Dir) {
			fmt.Fprintln(log, e)
		}
		ch, err := Reconcile(ctx, b, PlanFor(conf, naming), DriverReloader(conf), true, log)
		if err != nil {
			fmt.Fprintf(log, "nut-driver-enumerator: %v\n", err)
		}
		startClaimed(ctx, b, claimed, log)
		if ch.Any() {
			fmt.Fprintf(log, "Done in %v: %s\n", time.Since(start).Round(time.Millisecond), summary(ch))
		}
		notify(fmt.Sprintf("STATUS=%d devices in %s, %d hot-plugged; last change: %s", len(conf.UPS)-runtimeCount(conf), confFile, runtimeCount(conf), summary(ch)))
	}
	// SIGHUP is caught before the first reconcile: a refresh that comes
	// while it runs must not end the daemon (SIGHUP's default action).
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	run()
	notify("READY=1")
	tick := time.NewTicker(every)
	defer tick.Stop()
	var settle <-chan time.Time
	for {
		select {
		case <-ctx.Done():
			return 0
		case ev, ok := <-events:
			if !ok {
				events = nil
				continue
			}
			hp.Apply(ev)
			// What else came at once (a hub's devices) goes into the
			// same reconcile.
			for more := true; more; {
				select {
				case ev, ok := <-events:
					if more = ok; ok {
						hp.Apply(ev)
					}
				default:
					more = false
				}
			}
			run()
		case ev := <-w.Events:
			if n := filepath.Clean(ev.Name); n == filepath.Clean(confFile) || n == filepath.Clean(nutConf) {
				// Let an editor finish writing.
				settle = time.After(100 * time.Millisecond)
			}
		case err := <-w.Errors:
			fmt.Fprintf(log, "nut-driver-enumerator: inotify: %v\n", err)
		case <-settle:
			settle = nil
			run()
		case <-tick.C:
			run()
		case <-hup:
			run()
		}
	}
}

func runtimeCount(conf *config.UPSConf) int {
	n := 0
	for _, u := range conf.UPS {
		if u.Runtime {
			n++
		}
	}
	return n
}

func summary(c Changes) string {
	if !c.Any() {
		return "none"
	}
	var parts []string
	for _, x := range []struct {
		what  string
		names []string
	}{{"added", c.Added}, {"removed", c.Removed}, {"reloaded", c.Reloaded}, {"restarted", c.Restarted}} {
		if len(x.names) > 0 {
			parts = append(parts, x.what+" "+strings.Join(x.names, " "))
		}
	}
	return strings.Join(parts, "; ")
}
