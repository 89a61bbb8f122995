package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os/signal"
	"strconv"
	"strings"
	"syscall"

	"github.com/coreos/go-systemd/v22/activation"
	"github.com/coreos/go-systemd/v22/daemon"

	"gonut/config"
	"gonut/nutenv"
)

// Main is upsd's main. This first version runs in the foreground (as
// under systemd, or -F) and takes -D (debug), -F/-FF, -u (ignored when
// not root) and -h, -V.
func Main(argv []string, stderr io.Writer) int {
	debug := false
	for _, a := range argv {
		switch {
		case a == "-h":
			fmt.Fprintln(stderr, "usage: upsd [-D] [-F] [-u <user>]")
			return 0
		case a == "-V":
			fmt.Fprintf(stderr, "Network UPS Tools upsd %s (gonut)\n", Version)
			return 0
		case len(a) > 1 && a[0] == '-' && a[1] == 'D':
			debug = true
		}
	}
	level := slog.LevelInfo
	if debug {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	vars := nutenv.OS()
	upsConf, errs := config.LoadUPSConf(vars.ConfFile("ups.conf"))
	report(log, errs)
	if upsConf == nil {
		return 1
	}
	conf, errs := config.LoadUpsdConf(vars.ConfFile("upsd.conf"))
	report(log, errs)
	if conf == nil {
		conf, _ = config.ParseUpsdConf("(defaults)", strings.NewReader(""))
	}
	users, errs := config.LoadUsers(vars.ConfFile("upsd.users"))
	report(log, errs)

	s := New(upsConf, conf, users, vars, log)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	s.FollowDrivers(ctx)

	listeners, err := activation.Listeners()
	if err != nil || len(listeners) == 0 {
		listeners = nil
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
			listeners = append(listeners, l)
		}
	}
	if len(listeners) == 0 {
		fmt.Fprintln(stderr, "upsd: no listening interface available")
		return 1
	}
	for _, l := range listeners {
		go s.Serve(l)
	}
	daemon.SdNotify(false, daemon.SdNotifyReady)
	<-ctx.Done()
	daemon.SdNotify(false, daemon.SdNotifyStopping)
	for _, l := range listeners {
		l.Close()
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
