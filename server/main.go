package server

import (
	"context"
	"errors"
	"fmt"
	"gonut/internal/process"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"

	"github.com/coreos/go-systemd/v22/activation"
	"github.com/coreos/go-systemd/v22/daemon"

	"gonut/config"
	"gonut/nutenv"
)

const usage = `Network UPS Tools upsd %s (gonut)

usage: upsd [OPTIONS]

  -c <command>	send <command> via signal to background process
		commands:
		 - reload: reread configuration files
		 - stop: stop process and exit
  -P <pid>	send the signal above to specified PID (bypassing PID file)
  -D		raise debugging level (and stay in the foreground)
  -F		stay in the foreground (gonut's upsd always does: run it under
		a service manager, or with &)
  -q		raise log level threshold
  -h		display this help
  -u <user>	switch to <user> (if started as root) -- under systemd, use User=
  -V		display the version of this software
`

// Main is upsd's main; it returns the exit code. gonut's upsd stays in
// the foreground, as a service manager wants (Type=notify).
func Main(argv []string, stderr io.Writer) int {
	level := slog.LevelInfo
	var command string
	var pid int
	for i := 0; i < len(argv); i++ {
		a := argv[i]
		next := func() string {
			if i+1 < len(argv) {
				i++
				return argv[i]
			}
			return ""
		}
		switch {
		case a == "-h":
			fmt.Fprintf(stderr, usage, Version)
			return 0
		case a == "-V":
			fmt.Fprintf(stderr, "Network UPS Tools upsd %s (gonut)\n", Version)
			return 0
		case strings.HasPrefix(a, "-D"):
			level = slog.LevelDebug
		case a == "-q":
			level = slog.LevelWarn
		case a == "-c":
			command = next()
		case a == "-P":
			pid, _ = strconv.Atoi(next())
		case a == "-u", a == "-r":
			next() // user switching is the service manager's job here
		case strings.HasPrefix(a, "-F"), a == "-B":
		default:
			fmt.Fprintf(stderr, "upsd: unknown option %s (try -h)\n", a)
			return 1
		}
	}
	vars := nutenv.OS()
	pidFile := vars.AltPIDPath() + "/upsd.pid"
	if command != "" {
		return signalRunning(command, pid, pidFile, stderr)
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	upsConf, conf, users, ok := loadAll(vars, log)
	if !ok {
		return 1
	}
	s := New(upsConf, conf, users, vars, log)
	loadTLS(s, conf, log)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	s.FollowDrivers(ctx)

	listeners, err := activation.Listeners()
	if err != nil || len(listeners) == 0 {
		listeners = listen(conf, log)
	}
	if len(listeners) == 0 {
		fmt.Fprintln(stderr, "upsd: no listening interface available")
		return 1
	}
	for _, l := range listeners {
		go s.Serve(l)
	}
	if err := os.WriteFile(pidFile, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		log.Debug("no PID file", "file", pidFile, "error", err)
	} else {
		defer os.Remove(pidFile)
	}
	notify := func(state string) { daemon.SdNotify(false, state) }
	status := func() string {
		n, c := s.Counts()
		return fmt.Sprintf("STATUS=serving %d UPS, %d clients", n, c)
	}
	notify("READY=1\n" + status())

	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	for {
		select {
		case <-ctx.Done():
			notify("STOPPING=1")
			for _, l := range listeners {
				l.Close()
			}
			return 0
		case <-hup:
			notify("RELOADING=1")
			log.Info("reloading configuration")
			if u, c, us, ok := loadAll(vars, log); ok {
				for _, ch := range s.Reload(u, c, us, vars) {
					log.Info("reload: " + ch)
				}
				loadTLS(s, c, log)
			} else {
				log.Error("reload failed; keeping the running configuration")
			}
			notify("READY=1\n" + status())
		}
	}
}

// loadTLS sets up STARTTLS from CERTFILE, if there is one.
func loadTLS(s *Server, conf *config.UpsdConf, log *slog.Logger) {
	if conf.CertFile == "" {
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
	upsConf, errs := config.LoadUPSConf(vars.ConfFile("ups.conf"))
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

// listen opens upsd.conf's LISTEN addresses (localhost when none).
func listen(conf *config.UpsdConf, log *slog.Logger) []net.Listener {
	var out []net.Listener
	addrs := conf.Listen
	if len(addrs) == 0 {
		addrs = []config.Listen{{Host: "127.0.0.1", Port: config.DefaultPort}, {Host: "::1", Port: config.DefaultPort}}
	}
	for _, a := range addrs {
		l, err := net.Listen("tcp", net.JoinHostPort(a.Host, strconv.Itoa(a.Port)))
		if err != nil {
			log.Error("cannot listen", "host", a.Host, "port", a.Port, "error", err)
			continue
		}
		log.Info("listening", "host", a.Host, "port", a.Port)
		out = append(out, l)
	}
	return out
}

// signalRunning is -c reload|stop.
func signalRunning(command string, pid int, pidFile string, stderr io.Writer) int {
	sig := map[string]syscall.Signal{"reload": syscall.SIGHUP, "stop": syscall.SIGTERM}[command]
	if sig == 0 {
		fmt.Fprintf(stderr, "upsd: -c %q: expected reload or stop\n", command)
		return 1
	}
	if pid == 0 {
		var err error
		if pid, err = process.ReadPIDFile(pidFile); err != nil {
			fmt.Fprintf(stderr, "upsd: no running upsd found: %v\n", err)
			return 1
		}
	}
	if err := syscall.Kill(pid, sig); err != nil {
		fmt.Fprintf(stderr, "upsd: cannot signal PID %d: %v\n", pid, err)
		return 1
	}
	return 0
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
