package web

import (
	"context"
	"fmt"
	"log"
	"net"
	"net/http"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"gonut/internal/cli"
	"gonut/internal/getopt"
	"gonut/internal/sdlisten"
	"gonut/internal/sdnotify"
	"gonut/internal/version"
	"gonut/nutenv"
)

const usage = `Network UPS Tools nut-web %s

usage: nut-web [OPTIONS] <target> [<target> ...]

  <target>       upsname@hostname[:port]  one UPS of an upsd
                 hostname[:port]          every UPS of an upsd

  -l <address>   listen for HTTP on <address> (host:port; repeatable;
                 default 127.0.0.1:9199), unless systemd passes sockets
  -i <seconds>   ask upsd for every variable this often (default 2); with
                 gonut's upsd a status change is also asked for at once
  -H <hours>     history kept for the plots (default 6)
  -a             offer a login on the page, to run instant commands and
                 SETs through upsd with the rights upsd.users gives
                 (off by default; serve it over HTTPS beyond localhost)
  -h             display this help text
  -V             display the version of this software
`

// Main is nut-web.
func Main(args []string, _ nutenv.Env, std cli.Stdio) int {
	opts, rest, err := getopt.Parse(cli.Args(args), "hVal:i:H:")
	if err != nil {
		fmt.Fprintf(std.Err, "nut-web: %v\n", err)
		fmt.Fprintf(std.Err, usage, version.NUT)
		return 1
	}
	var listen []string
	actions := false
	poll, span := 2*time.Second, 6*time.Hour
	for _, o := range opts {
		switch o.Name {
		case 'h':
			fmt.Fprintf(std.Out, usage, version.NUT)
			return 0
		case 'V':
			fmt.Fprintln(std.Out, "Network UPS Tools nut-web "+version.NUT)
			return 0
		case 'l':
			listen = append(listen, o.Value)
		case 'a':
			actions = true
		case 'i', 'H':
			f, err := strconv.ParseFloat(o.Value, 64)
			if err != nil || f <= 0 {
				fmt.Fprintf(std.Err, "nut-web: -%c %q: expected a number above 0\n", o.Name, o.Value)
				return 1
			}
			if o.Name == 'i' {
				poll = time.Duration(f * float64(time.Second))
			} else {
				span = time.Duration(f * float64(time.Hour))
			}
		}
	}
	if len(rest) == 0 {
		fmt.Fprintf(std.Err, "nut-web: no target (upsname@hostname[:port] or hostname[:port])\n")
		fmt.Fprintf(std.Err, usage, version.NUT)
		return 1
	}
	var targets []Target
	for _, a := range rest {
		t, err := ParseTarget(a)
		if err != nil {
			fmt.Fprintf(std.Err, "nut-web: %v\n", err)
			return 1
		}
		targets = append(targets, t)
	}
	if len(listen) == 0 {
		listen = []string{"127.0.0.1:9199"}
	}
	logger := log.New(std.Err, "nut-web: ", 0)

	listeners, err := sdlisten.Listeners()
	if err != nil || len(listeners) == 0 {
		listeners = nil
		for _, a := range listen {
			l, err := net.Listen("tcp", a)
			if err != nil {
				logger.Print(err)
				return 1
			}
			listeners = append(listeners, l)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	store := NewStore(maxDuration(poll, span/720), span)
	f := &Follower{Store: store, Poll: poll, Key: Keys(targets), Now: time.Now, Log: logger, Lists: actions}
	for _, t := range targets {
		go f.Follow(ctx, t)
	}
	web := &Server{Store: store, Span: span, Now: time.Now}
	if actions {
		web.Actions = &Actions{Store: store, TTL: 12 * time.Hour, Now: time.Now}
	}
	srv := &http.Server{Handler: web.Handler(), ReadHeaderTimeout: 10 * time.Second}
	for _, l := range listeners {
		if l == nil {
			continue
		}
		logger.Printf("listening on http://%s/", l.Addr())
		go srv.Serve(l)
	}
	sdnotify.New()("READY=1")
	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	srv.Shutdown(sctx)
	return 0
}

func maxDuration(a, b time.Duration) time.Duration {
	if a > b {
		return a
	}
	return b
}

// Keys names UPSes by their name alone when every target is on one upsd,
// and as upsname@host:port otherwise.
func Keys(targets []Target) func(Target, string) string {
	one := true
	for _, t := range targets {
		one = one && t.Addr == targets[0].Addr
	}
	return func(t Target, ups string) string {
		if one {
			return ups
		}
		return ups + "@" + t.Addr
	}
}
