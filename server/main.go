package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"gonut/internal/sdlisten"

	"gonut/config"
	"gonut/internal/cli"
	"gonut/internal/daemon"
	"gonut/internal/getopt"
	"gonut/internal/process"
	"gonut/internal/version"
	"gonut/nutenv"
)

// usage is NUT 2.8.0's help text (its upsd.c help), after the banner;
// %s is the program's name.
const usage = `Network server for UPS data.

usage: %s [OPTIONS]

  -c <command>	send <command> via signal to background process
		commands:
		 - reload: reread configuration files
		 - stop: stop process and exit
  -P <pid>	send the signal above to specified PID (bypassing PID file)
  -D		raise debugging level (and stay foreground by default)
  -F		stay foregrounded even if no debugging is enabled
  -FF		stay foregrounded and still save the PID file
  -B		stay backgrounded even if debugging is bumped
  -h		display this help
  -r <dir>	chroots to <dir>
  -q		raise log level threshold
  -u <user>	switch to <user> (if started as root)
  -V		display the version of this software
  -4		IPv4 only
  -6		IPv6 only
`

// banner is upsd's first line.
const banner = "Network UPS Tools upsd %s (gonut)\n"

// Version is what VER reports; clients parse it, so it keeps NUT's form.
const Version = version.NUT

// options are upsd's command line.
type options struct {
	daemon.Flags
	family string // "tcp", "tcp4" or "tcp6"
}

// parseOptions reads upsd's command line (args[0] is the program).
func parseOptions(args []string, std cli.Stdio) (options, int, bool) {
	o := options{family: "tcp"}
	stderr := std.Err
	name := cli.Name(args, "upsd")
	bad := func(err error) (options, int, bool) {
		fmt.Fprintf(stderr, "upsd: %v\n", err)
		fmt.Fprintf(stderr, banner+"\n"+usage, Version, name)
		return o, 1, false
	}
	opts, rest, err := getopt.Parse(cli.Args(args), "+h46p:qr:i:fu:Vc:P:DFB")
	if err != nil {
		return bad(err)
	}
	if len(rest) > 0 {
		return bad(fmt.Errorf("unexpected argument %q", rest[0]))
	}
	for _, op := range opts {
		if ok, err := o.Take(op.Name, op.Value); ok {
			if err != nil {
				return bad(err)
			}
			continue
		}
		switch op.Name {
		case 'h':
			// NUT prints its banner, then the help, on standard output.
			fmt.Fprintf(std.Out, banner+usage, Version, name)
			return o, 0, false
		case 'V':
			fmt.Fprintf(std.Out, banner, Version)
			return o, 0, false
		case 'p', 'i':
			fmt.Fprintln(stderr, "Specifying a listening addresses with '-i <address>' and '-p <port>'\n"+
				"is deprecated. Use 'LISTEN <address> [<port>]' in 'upsd.conf' instead.\n"+
				"See 'man 8 upsd.conf' for more information.")
			return o, 1, false
		case '4':
			o.family = "tcp4"
		case '6':
			o.family = "tcp6"
		}
	}
	return o, 0, true
}

// Main is upsd's main; it returns the exit code. Under a service manager
// run it with -F (Type=notify); by itself it goes to the background once
// it serves, as NUT's upsd does.
func Main(args []string, vars nutenv.Env, std cli.Stdio) int {
	stderr := std.Err
	o, code, ok := parseOptions(args, std)
	if !ok {
		return code
	}
	pidFile := vars.AltPIDPath() + "/upsd.pid"
	if o.Command != "" {
		return o.SignalRunning("upsd", pidFile, map[string]syscall.Signal{"reload": syscall.SIGHUP, "stop": syscall.SIGTERM}, stderr)
	}
	d := daemon.New("upsd", o.InForeground(o.Debug > 0), stderr)
	if d.Starter() {
		return d.Detach()
	}
	defer d.Close()
	log := d.Logger(o.Level(slog.LevelInfo))
	upsConf, conf, users, ok := loadAll(vars, log)
	if !ok {
		return 1
	}
	if len(upsConf.UPS) == 0 {
		if !allowNoDevice(conf.AllowNoDevice, vars("ALLOW_NO_DEVICE")) {
			log.Error("Fatal error: at least one UPS must be defined in ups.conf")
			return 1
		}
		log.Warn("Normally at least one UPS must be defined in ups.conf, currently there are none (please configure the file and reload the service)")
	}
	s := New(upsConf, conf, users, vars, log)
	loadTLS(s, conf, log)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	// SIGHUP is caught from here, well before READY (a reload asked
	// meanwhile comes after it): nut-driver-enumerator reloads upsd the
	// moment its unit is active, and Go's default for SIGHUP ends the
	// process.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	s.FollowDrivers(ctx)
	// Serve once the drivers have given their data (or after a few
	// seconds): a client that started us through the socket, or came
	// right after READY, gets values, not DATA-STALE.
	s.WaitForDumps(ctx, 5*time.Second)

	listeners, err := sdlisten.Listeners()
	if err != nil || len(listeners) == 0 {
		if listeners, err = listen(conf, o.family, log); err != nil {
			log.Error("Fatal error: " + err.Error())
			return 1
		}
	}
	if err := process.BecomeUser(process.Identity{User: o.User, Chroot: o.Chroot}, log); err != nil {
		log.Error(err.Error())
		return 1
	}
	for _, l := range listeners {
		go s.Serve(l)
	}
	// Unlike NUT's, a foreground upsd keeps a PID file too, so that
	// "upsd -c reload" finds it.
	if err := d.WritePIDFile(pidFile); err != nil {
		log.Debug("no PID file", "file", pidFile, "error", err)
	}
	status := func() string {
		n, c := s.Counts()
		return fmt.Sprintf("serving %d UPS, %d clients", n, c)
	}
	d.Ready(status())
	for {
		select {
		case <-ctx.Done():
			d.Stopping()
			s.Close()
			return 0
		case <-hup:
			d.Reloading()
			log.Info("reloading configuration")
			if u, c, us, ok := loadAll(vars, log); ok {
				for _, ch := range s.Reload(u, c, us, vars) {
					log.Info("reload: " + ch)
				}
				loadTLS(s, c, log)
			} else {
				log.Error("reload failed; keeping the running configuration")
			}
			d.Ready(status())
		}
	}
}

// loadTLS sets up STARTTLS from CERTFILE, if there is one.
func loadTLS(s *Server, conf *config.UpsdConf, log *slog.Logger) {
	if conf.CertFile == "" {
		if conf.CertPath != "" || conf.CertIdent.Name != "" {
			// Debian's upsd (NSS) takes its certificate from CERTPATH and
			// CERTIDENT; gonut's (Go's crypto/tls) from a PEM CERTFILE.
			log.Error("STARTTLS disabled: CERTPATH and CERTIDENT name an NSS certificate database, which gonut's upsd does not read; give CERTFILE, a PEM file with the certificate and its key")
		}
		s.SetTLS(nil)
		return
	}
	tc, err := LoadCert(conf.CertFile, conf.DisableWeakSSL)
	if err != nil {
		log.Error("STARTTLS disabled", "error", err)
		s.SetTLS(nil)
		return
	}
	s.SetTLS(tc)
}

// loadAll reads ups.conf, upsd.conf and upsd.users, logging problems.
func loadAll(vars nutenv.Env, log *slog.Logger) (*config.UPSConf, *config.UpsdConf, *config.Users, bool) {
	upsConf, errs := config.LoadAllUPSConf(vars)
	report(log, errs)
	if upsConf == nil {
		return nil, nil, nil, false
	}
	conf, errs := config.LoadUpsdConf(vars.ConfFile("upsd.conf"))
	report(log, errs)
	if conf == nil {
		conf, _ = config.ParseUpsdConf("(defaults)", strings.NewReader(""))
	}
	users, errs := config.LoadUsers(vars.ConfFile("upsd.users"))
	report(log, errs)
	return upsConf, conf, users, true
}

// listen opens upsd.conf's LISTEN addresses (localhost when there is no
// LISTEN line). As NUT's upsd, it fails when it can listen nowhere, and
// when some LISTEN cannot be served, a LISTEN line in error included,
// unless ALLOW_NOT_ALL_LISTENERS: an admin who typed a wrong port learns
// of it at once, not from clients that cannot connect. Loopback addresses
// that fail while another works are let go, as NUT does: localhost under
// several names, or ::1 on a host without IPv6.
func listen(conf *config.UpsdConf, family string, log *slog.Logger) ([]net.Listener, error) {
	var out []net.Listener
	addrs := conf.Listen
	if len(addrs) == 0 && len(conf.BadListen) == 0 {
		addrs = []config.Listen{{Host: "127.0.0.1", Port: config.DefaultPort}, {Host: "::1", Port: config.DefaultPort}}
	}
	failed, failedLoopback := len(conf.BadListen), 0
	for _, a := range addrs {
		ip := net.ParseIP(a.Host)
		if ip != nil && (family == "tcp4" && ip.To4() == nil || family == "tcp6" && ip.To4() != nil) {
			continue
		}
		l, err := net.Listen(family, net.JoinHostPort(a.Host, strconv.Itoa(a.Port)))
		if err != nil {
			log.Error("cannot listen", "host", a.Host, "port", a.Port, "error", err)
			failed++
			if ip != nil && ip.IsLoopback() || a.Host == "localhost" {
				failedLoopback++
			}
			continue
		}
		log.Info("listening", "host", a.Host, "port", a.Port)
		out = append(out, l)
	}
	switch {
	case len(out) == 0:
		return nil, errors.New("no listening interface available")
	case failed == 0 || failed == failedLoopback:
	case conf.AllowNotAllListeners:
		log.Warn("some listening interfaces were not available, but the ALLOW_NOT_ALL_LISTENERS setting is active")
	default:
		for _, l := range out {
			l.Close()
		}
		return nil, errors.New("some listening interfaces were not available (check the LISTEN lines of upsd.conf, or set ALLOW_NOT_ALL_LISTENERS)")
	}
	return out, nil
}

// allowNoDevice is ALLOW_NO_DEVICE, which the environment variable of
// that name overrides, as in NUT.
func allowNoDevice(conf bool, env string) bool {
	e := strings.ToUpper(env)
	for _, p := range []string{"TRUE", "YES", "ON", "1"} {
		if strings.HasPrefix(e, p) {
			return true
		}
	}
	for _, p := range []string{"FALSE", "NO", "OFF", "0"} {
		if strings.HasPrefix(e, p) {
			return false
		}
	}
	return conf
}

func report(log *slog.Logger, errs []error) {
	for _, e := range errs {
		var ce *config.Error
		if errors.As(e, &ce) && ce.Warning {
			log.Warn(e.Error())
		} else {
			log.Error(e.Error())
		}
	}
}
