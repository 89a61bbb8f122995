package core

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"gonut/drivers/sockproto"
	"gonut/drivers/sockserver"
	"gonut/internal/sdnotify"
	"gonut/nutenv"
	"gonut/state"
)

// Clock is the time source of the update loop; tests give a fake one.
type Clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// RealClock is the wall clock.
func RealClock() Clock { return realClock{} }

// Env is what a driver process takes from its surroundings.
type Env struct {
	Vars   nutenv.Env
	Stdout io.Writer
	Log    *slog.Logger
	Clock  Clock
	// Notify sends a state to the service manager (sd_notify); nil: none.
	Notify func(state string)
	// Watchdog is how often the service manager wants WATCHDOG=1
	// (WATCHDOG_USEC); 0: never. The loop sends it every half of that
	// while it runs, unless an Update has been waiting on the device for
	// longer: a driver stuck in a transfer that never returns is then
	// restarted, while one whose device is merely gone (its Updates fail
	// at once) is not.
	Watchdog time.Duration
	// Listener is the driver socket inherited from the service manager;
	// nil: the core creates the socket file itself.
	Listener net.Listener
	// Signals delivers SIGHUP (reload), SIGUSR1 (reload-or-exit),
	// SIGTERM and SIGINT (exit).
	Signals <-chan os.Signal
	// Ready is called once the first update has succeeded (daemon mode
	// tells the waiting parent).
	Ready func()
	// Secure is called once the device is open and the socket exists,
	// to give up what the driver no longer needs (root, the file system
	// outside a chroot). The socket path is "" when it was inherited.
	Secure func(sockPath, user, group string) error
}

// ExitError ends a driver with a particular exit code.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string { return e.Err.Error() }
func (e *ExitError) Unwrap() error { return e.Err }

// exitReloadOrExit is NUT's exit code when reload-or-exit finds a change
// that needs a restart: 128 + SIGUSR1.
const exitReloadOrExit = 128 + 10

type request struct {
	req   sockproto.Request
	reply chan Result
}

// runner is one running driver instance.
type runner struct {
	d      Driver
	info   Info
	args   Args
	env    Env
	dev    *Device
	tree   *state.Tree
	res    *resolved
	log    *slog.Logger
	status string // last ups.status told to the service manager
	ready  bool
	exit   error // set by a command that ends the driver
}

func (r *runner) notify(state string) {
	if r.env.Notify != nil {
		r.env.Notify(state)
	}
}

// Run runs a driver in the foreground until ctx ends, a signal or command
// stops it, or -d's dump is done. Help, version and -c are Main's.
func Run(ctx context.Context, d Driver, args Args, env Env) error {
	if env.Clock == nil {
		env.Clock = RealClock()
	}
	if env.Log == nil {
		env.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	r := &runner{d: d, info: d.Info(), args: args, env: env, log: env.Log}
	if err := r.configure(); err != nil {
		return err
	}
	defer r.dev.halt()
	if args.Kill {
		return r.killPower(ctx)
	}
	if err := d.Init(ctx, r.dev); err != nil {
		return fmt.Errorf("%s: cannot start on [%s]: %w", r.info.Name, args.UPS, err)
	}
	defer d.Close()
	defer r.dev.halt() // before Close: the driver's goroutines stop delivering
	r.afterInit()

	ln := env.Listener
	sockPath := env.Vars.DriverSocket(r.info.Name, args.UPS)
	if ln == nil && args.DumpAfter == 0 {
		l, err := sockserver.Listen(sockPath)
		if err != nil {
			return fmt.Errorf("%s: cannot create the driver socket: %w", r.info.Name, err)
		}
		ln = l
		defer os.Remove(sockPath)
	} else {
		sockPath = ""
	}
	if env.Secure != nil && args.DumpAfter == 0 {
		if err := env.Secure(sockPath, r.setting(args.User, "user"), r.setting(args.Group, "group")); err != nil {
			return fmt.Errorf("%s: %w", r.info.Name, err)
		}
	}
	reqs := make(chan request)
	hctx, cancelHandlers := context.WithCancel(ctx)
	srv := sockserver.New(r.tree, r.handler(hctx, reqs), r.log)
	if ln != nil {
		defer ln.Close()
		go srv.Serve(ln)
		defer srv.Shutdown(time.Second)
	}
	defer cancelHandlers() // first: requests still waiting give up
	return r.loop(ctx, reqs)
}

// configure reads the section, merges -x and fills the tree's driver.*.
func (r *runner) configure() error {
	var section []Setting
	if !r.args.Direct {
		var err error
		if section, err = LoadSection(r.env.Vars, r.args.UPS); err != nil {
			return err
		}
	}
	res, err := resolve(r.info, section, r.args.Settings)
	if err != nil {
		return fmt.Errorf("%s [%s]: %w", r.info.Name, r.args.UPS, err)
	}
	r.res = res
	r.tree = state.New()
	r.dev = newDevice(r.args.UPS, r.tree, r.log, pollInterval(res, r.args))
	r.dev.settings = res.byKey
	r.tree.Set("driver.name", r.info.Name)
	r.tree.Set("driver.version", Version)
	r.tree.Set("driver.version.internal", r.info.Version)
	// Set before the driver's Init, which changes it for a PDU.
	r.tree.Set("device.type", "ups")
	table := keys(r.info)
	for _, k := range res.order {
		if v, val := shown(table, res.byKey[k]); v != "" {
			r.tree.Set(v, val)
		}
	}
	applyTreeSettings(res, r.tree)
	return nil
}

// setting is the command line's value if given, else the section's.
func (r *runner) setting(cmdline, key string) string {
	if cmdline != "" {
		return cmdline
	}
	if s, ok := r.res.get(key); ok {
		return s.Value
	}
	return ""
}

// afterInit sets what NUT's core sets once the driver has described the
// device: the poll interval, and device.* copies of ups.mfr, ups.model
// and ups.serial.
func (r *runner) afterInit() {
	r.tree.Set("driver.parameter.pollinterval", strconv.Itoa(int(r.dev.PollInterval()/time.Second)))
	sync := "auto"
	if s, ok := r.res.get("synchronous"); ok {
		sync = s.Value
	}
	r.tree.Set("driver.parameter.synchronous", sync)
	for _, k := range []string{"mfr", "model", "serial"} {
		if v, ok := r.tree.Get("ups." + k); ok {
			r.tree.Set("device."+k, v)
		}
	}
}

// handler turns socket requests into calls on the loop's goroutine, so
// the driver never sees two calls at once.
func (r *runner) handler(ctx context.Context, reqs chan<- request) sockserver.Handler {
	return func(req sockproto.Request) Result {
		reply := make(chan Result, 1)
		select {
		case reqs <- request{req, reply}:
		case <-ctx.Done():
			return Failed
		}
		select {
		case r := <-reply:
			return r
		case <-ctx.Done():
			// driver.exit answers, then the loop ends and ctx with it:
			// the answer wins.
			select {
			case r := <-reply:
				return r
			default:
				return Failed
			}
		}
	}
}

func (r *runner) loop(ctx context.Context, reqs <-chan request) error {
	p := &poller{r: r, done: make(chan error, 1)}
	var uctx context.Context
	uctx, p.cancel = context.WithCancel(ctx)
	defer p.stop()
	next := r.env.Clock.After(0)
	var feed <-chan time.Time
	if r.env.Watchdog > 0 {
		feed = r.env.Clock.After(r.env.Watchdog / 2)
	}
	updates := 0
	for {
		select {
		case <-ctx.Done():
			r.notify("STOPPING=1")
			return nil
		case <-next:
			next = nil
			p.start(uctx)
		case <-r.dev.poll:
			if p.running {
				p.again = true
			} else {
				next = nil
				p.start(uctx)
			}
		case err := <-p.done:
			p.running = false
			r.updated(err)
			updates++
			if r.args.DumpAfter > 0 && updates >= r.args.DumpAfter {
				r.dump()
				return nil
			}
			if p.again {
				p.start(uctx)
			} else {
				next = r.env.Clock.After(r.dev.takeWait(r.env.Clock.Now().Sub(p.began)))
			}
		case <-feed:
			feed = r.env.Clock.After(r.env.Watchdog / 2)
			r.feedWatchdog(p)
		case apply := <-r.dev.events:
			apply(r.dev)
			if s := r.statusChange(); s != "" && r.ready {
				r.notify(s)
			}
		case q := <-reqs:
			cctx, cancel := context.WithTimeout(ctx, r.timeout())
			q.reply <- r.call(cctx, q.req)
			cancel()
		case sig := <-r.env.Signals:
			switch sig {
			case syscall.SIGHUP:
				r.reload("reload")
			case syscall.SIGUSR1:
				r.reload("reload-or-exit")
			case syscall.SIGTERM, syscall.SIGINT:
				r.log.Info("signal received, exiting", "signal", sig.String())
				r.exit = errExit
			}
		}
		if r.exit != nil {
			r.notify("STOPPING=1")
			if errors.Is(r.exit, errExit) {
				return nil
			}
			return r.exit
		}
	}
}

// poller runs the driver's Update on a goroutine of its own, one at a
// time, and hands the loop its outcome.
type poller struct {
	r       *runner
	done    chan error
	cancel  context.CancelFunc
	running bool
	again   bool      // PollNow during an Update: another one right after
	began   time.Time // when the running (or last) Update began
	since   time.Time // when the running Update began, or last made progress
	seen    uint64    // the Device's progress count then
	stuck   bool      // the running Update was reported stuck
}

func (p *poller) start(ctx context.Context) {
	p.running, p.again, p.stuck = true, false, false
	p.since, p.seen = p.r.env.Clock.Now(), p.r.dev.progress.Load()
	p.began = p.since
	go func() { p.done <- p.r.d.Update(ctx, p.r.dev) }()
}

// stop cancels a running Update and gives it the driver's Timeout to
// return before the device is closed.
func (p *poller) stop() {
	p.cancel()
	if !p.running {
		return
	}
	select {
	case <-p.done:
	case <-time.After(p.r.timeout()):
		p.r.log.Warn("the device is still being read; closing it anyway", "ups", p.r.args.UPS)
	}
}

// feedWatchdog tells the service manager that the driver is alive: its
// loop runs (this is called from it), and no Update has been waiting on
// the device for a whole watchdog interval without progress (an answer,
// Device.Progress). A device that does not answer or is gone makes
// Updates fail within their transfers' timeouts (the data goes stale,
// the driver looks for the device again): that is no reason to restart.
// An Update that never returns is.
func (r *runner) feedWatchdog(p *poller) {
	if p.running {
		if n := r.dev.progress.Load(); n != p.seen {
			p.since, p.seen = r.env.Clock.Now(), n
		}
		if busy := r.env.Clock.Now().Sub(p.since); busy >= r.env.Watchdog {
			if !p.stuck {
				p.stuck = true
				r.log.Error("an update has waited on the device without progress for longer than the service manager's watchdog: no longer telling it we are alive, so that it restarts the driver",
					"ups", r.args.UPS, "busy", busy.String(), "watchdog", r.env.Watchdog.String())
			}
			return
		}
	}
	r.notify("WATCHDOG=1")
}

// timeout is how long a command may keep the device.
func (r *runner) timeout() time.Duration {
	if r.info.Timeout > 0 {
		return r.info.Timeout
	}
	return DefaultTimeout
}

// errExit is a clean exit asked for by a signal or driver.exit.
const errExit = errorString("exit requested")

// updated takes in the outcome of an Update: the data is usable or stale,
// and the service manager hears of it.
func (r *runner) updated(err error) {
	if err != nil {
		if !r.tree.Stale() || !r.ready {
			r.log.Warn("data is stale: the device did not answer", "ups", r.args.UPS, "error", err)
		}
		r.tree.DataStale()
		r.notify("STATUS=data stale: " + err.Error())
		r.status = ""
		return
	}
	if r.tree.Stale() && r.ready {
		r.log.Info("communication with the device restored", "ups", r.args.UPS)
	}
	r.tree.DataOK()
	var state []string
	if s := r.statusChange(); s != "" || !r.ready {
		state = append(state, "STATUS=ups.status: "+r.status)
	}
	if !r.ready {
		r.ready = true
		state = append(state, "READY=1")
		if r.env.Ready != nil {
			r.env.Ready()
		}
	}
	if len(state) > 0 {
		r.notify(strings.Join(state, "\n"))
	}
}

// statusChange is the STATUS= line for the service manager when ups.status
// is not what it was last told, else "".
func (r *runner) statusChange() string {
	status, _ := r.tree.Get("ups.status")
	if status == r.status {
		return ""
	}
	r.status = status
	return "STATUS=ups.status: " + status
}

// call carries out a SET or INSTCMD: the core's own driver.* commands
// first, then the driver's.
func (r *runner) call(ctx context.Context, q sockproto.Request) Result {
	if q.Cmd == sockproto.Set {
		if s := r.d.SetVar(ctx, r.dev, q.Name, q.Value); s != Handled {
			r.log.Warn("SET refused", "var", q.Name, "value", q.Value, "result", int(s))
			return s
		}
		return Handled
	}
	switch q.Name {
	case "driver.reload":
		r.reload("reload")
		return Handled
	case "driver.reload-or-exit":
		r.reload("reload-or-exit")
		return Handled
	case "driver.reload-or-error":
		return r.reload("reload-or-error")
	case "driver.exit":
		r.exit = errExit
		return Handled
	case "driver.killpower":
		if _, ok := r.tree.Get("driver.flag.allow_killpower"); !ok {
			r.log.Error("driver.killpower refused: allow_killpower is not set for this UPS")
			return Invalid
		}
		if err := r.d.Shutdown(ctx, r.dev); err != nil {
			r.log.Error("driver.killpower failed", "error", err)
			return Failed
		}
		return Handled
	}
	if !r.tree.HasCmd(q.Name) {
		r.log.Warn("unknown instant command", "command", q.Name)
		return Unknown
	}
	s := r.d.InstCmd(ctx, r.dev, q.Name, q.Value)
	if s != Handled {
		r.log.Warn("instant command failed", "command", q.Name, "param", q.Value, "result", int(s))
	}
	return s
}

// reload re-reads this UPS's section. Settings that can change live are
// applied; others are reported: "reload" keeps the old value,
// "reload-or-exit" exits so the service manager starts a new instance,
// "reload-or-error" answers Invalid so its caller can restart us.
func (r *runner) reload(mode string) Result {
	r.notify(sdnotify.Reloading())
	defer r.notify("READY=1")
	r.log.Info("reloading configuration", "ups", r.args.UPS, "mode", mode)
	var section []Setting
	if !r.args.Direct {
		var err error
		if section, err = LoadSection(r.env.Vars, r.args.UPS); err != nil {
			r.log.Error("reload failed, keeping the running configuration", "error", err)
			return Failed
		}
	}
	res, err := resolve(r.info, section, r.args.Settings)
	if err != nil {
		r.log.Error("reload failed, keeping the running configuration", "error", err)
		return Failed
	}
	var needRestart []string
	changed := map[string]bool{}
	for k := range r.res.byKey {
		changed[k] = true
	}
	for k := range res.byKey {
		changed[k] = true
	}
	table := keys(r.info)
	apply := map[string]Setting{}
	for k := range r.res.byKey {
		apply[k] = r.res.byKey[k]
	}
	for k := range changed {
		old, had := r.res.byKey[k]
		cur, has := res.byKey[k]
		if had == has && old == cur {
			continue
		}
		name := cur.Key
		if !has {
			name = old.Key
		}
		if row, _ := table.Find(name); !row.Reloadable {
			needRestart = append(needRestart, name)
			continue
		}
		if has {
			apply[k] = cur
			if show, val := shown(table, cur); show != "" {
				r.tree.Set(show, val)
			}
		} else {
			delete(apply, k)
			if show, _ := shown(table, old); show != "" {
				r.tree.Delete(show)
			}
		}
	}
	r.res = &resolved{byKey: apply, order: res.order}
	r.dev.mu.Lock()
	r.dev.settings = apply
	r.dev.interval = pollInterval(r.res, r.args)
	r.dev.mu.Unlock()
	r.tree.Set("driver.parameter.pollinterval", strconv.Itoa(int(r.dev.PollInterval()/time.Second)))
	if len(needRestart) == 0 {
		return Handled
	}
	msg := fmt.Sprintf("changed settings need a driver restart: %s", strings.Join(needRestart, ", "))
	switch mode {
	case "reload-or-exit":
		r.log.Warn(msg + "; exiting so the service manager starts a new instance")
		r.exit = &ExitError{Code: exitReloadOrExit, Err: errors.New(msg)}
		return Handled
	case "reload-or-error":
		r.log.Warn(msg)
		return Invalid
	}
	r.log.Warn(msg + "; keeping the old values until a restart")
	return Handled
}

// dump prints the tree as upsc would, for -d.
func (r *runner) dump() {
	for _, v := range r.tree.Vars() {
		fmt.Fprintf(r.env.Stdout, "%s: %s\n", v.Name, v.Value)
	}
}

// killPower is -k: tell the UPS to power off.
func (r *runner) killPower(ctx context.Context) error {
	if err := r.d.Init(ctx, r.dev); err != nil {
		return fmt.Errorf("%s: cannot reach [%s] to shut it down: %w", r.info.Name, r.args.UPS, err)
	}
	defer r.d.Close()
	defer r.dev.halt()
	r.log.Warn("initiating UPS shutdown", "ups", r.args.UPS)
	if err := r.d.Shutdown(ctx, r.dev); err != nil {
		return fmt.Errorf("%s: shutdown of [%s] failed: %w", r.info.Name, r.args.UPS, err)
	}
	return nil
}
