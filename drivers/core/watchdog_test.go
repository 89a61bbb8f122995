package core

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"gonut/internal/nuttest"
	"gonut/internal/sdnotify"
	"gonut/nutenv"
)

// manualClock is a clock the test moves forward; each wait whose time
// has come is handed to the loop before advance returns.
type manualClock struct {
	mu    sync.Mutex
	now   time.Time
	waits []manualWait
	log   []string
}

type manualWait struct {
	at time.Time
	ch chan time.Time
}

func (c *manualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *manualClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time)
	c.waits = append(c.waits, manualWait{c.now.Add(d), ch})
	c.log = append(c.log, fmt.Sprintf("After(%v) at %v", d, c.now.Unix()))
	return ch
}

// waiting waits until the loop waits on n timers.
func (c *manualClock) waiting(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		c.mu.Lock()
		k := len(c.waits)
		c.mu.Unlock()
		if k >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the driver loop waits on %d timers, not %d: %q", k, n, c.log)
		}
		time.Sleep(time.Millisecond)
	}
}

// advance moves the clock on by d and waits until the loop has taken
// every wait that is over.
func (c *manualClock) advance(t *testing.T, d time.Duration) {
	t.Helper()
	c.mu.Lock()
	c.now = c.now.Add(d)
	now := c.now
	var due []manualWait
	left := c.waits[:0]
	for _, w := range c.waits {
		if w.at.After(now) {
			left = append(left, w)
		} else {
			due = append(due, w)
		}
	}
	c.waits = left
	c.mu.Unlock()
	c.mu.Lock()
	c.log = append(c.log, fmt.Sprintf("advance to %v: %d due", now.Unix(), len(due)))
	c.mu.Unlock()
	for _, w := range due {
		select {
		case w.ch <- now:
		case <-time.After(10 * time.Second):
			t.Fatal("the driver loop does not take its timer")
		}
	}
}

// stuckDriver is a driver whose device can be gone (Update fails at
// once) or hung (Update never returns, until the driver stops; it makes
// progress, Device.Progress, each time the test asks).
type stuckDriver struct {
	Base
	mu       sync.Mutex
	gone     bool
	hung     bool
	started  chan struct{}      // a hung Update has begun
	progress chan chan struct{} // make progress, then close the channel
}

func (d *stuckDriver) Info() Info {
	return Info{Name: "testdrv", Description: "test driver", Version: "0.1"}
}

func (d *stuckDriver) Init(ctx context.Context, dev *Device) error {
	dev.Tree.Set("ups.status", "OL")
	return nil
}

func (d *stuckDriver) Update(ctx context.Context, dev *Device) error {
	d.mu.Lock()
	gone, hung := d.gone, d.hung
	d.mu.Unlock()
	switch {
	case hung:
		d.started <- struct{}{}
		for {
			select {
			case done := <-d.progress:
				dev.Progress()
				close(done)
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	case gone:
		return errors.New("the device is gone")
	}
	return nil
}

func fed(msgs []string) bool {
	for _, m := range msgs {
		for _, l := range strings.Split(m, "\n") {
			if l == "WATCHDOG=1" {
				return true
			}
		}
	}
	return false
}

// Under a service manager's watchdog (WATCHDOG_USEC=10 s), the driver
// sends WATCHDOG=1 every 5 s while its device is there, while it is gone
// (each Update fails at once: the data is stale, the driver is fine),
// and while a long Update gets answers; it stops once an Update has
// waited on the device for 10 s without any, so that the service
// manager restarts it.
func TestWatchdogFollowsTheDevice(t *testing.T) {
	const watchdog = 10 * time.Second
	dir := t.TempDir()
	vars := nutenv.Env(func(k string) string {
		switch k {
		case "NUT_CONFPATH", "NUT_STATEPATH":
			return dir
		case "WATCHDOG_USEC":
			return "10000000"
		}
		return ""
	})
	writeConf(t, dir, "[t]\n\tdriver = testdrv\n\tport = one\n")
	n := nuttest.NotifySocket(t)
	clock := &manualClock{now: time.Unix(1000, 0)}
	d := &stuckDriver{started: make(chan struct{}, 1), progress: make(chan chan struct{})}
	sigs := make(chan os.Signal, 1)
	done := make(chan error, 1)
	go func() {
		done <- Run(context.Background(), d, Args{UPS: "t"}, Env{Vars: vars, Clock: clock,
			Notify: sdnotify.Socket(n.Path), Watchdog: sdnotify.Watchdog(vars, os.Getpid()), Signals: sigs})
	}()
	clock.waiting(t, 2) // the first update's and the watchdog's
	clock.advance(t, 0)
	n.UpTo(t, "READY=1")

	// step moves the clock on and reports whether WATCHDOG=1 came: a
	// reload (RELOADING=1) marks where the loop's answer to that time ends.
	// Unless the device hangs, the update of the last step has returned
	// first (the loop waits for the next poll and the watchdog's time).
	hangs := false
	step := func(d time.Duration) bool {
		t.Helper()
		if !hangs {
			clock.waiting(t, 2)
		}
		clock.advance(t, d)
		sigs <- syscall.SIGHUP
		return fed(n.UpTo(t, "RELOADING=1"))
	}
	if !step(watchdog / 2) {
		t.Fatal("no WATCHDOG=1 while the device answers")
	}

	d.mu.Lock()
	d.gone = true
	d.mu.Unlock()
	for i := 0; i < 6; i++ { // 30 s of a gone device: updates fail, the driver lives
		if !step(watchdog / 2) {
			t.Fatalf("no WATCHDOG=1 %v after the device went away %q", time.Duration(i+1)*watchdog/2, clock.log)
		}
	}
	clock.waiting(t, 2) // the last step's update has returned
	d.mu.Lock()
	d.gone, d.hung = false, true
	d.mu.Unlock()
	hangs = true
	clock.advance(t, 2*time.Second) // the next poll begins, and hangs
	select {
	case <-d.started:
	case <-time.After(10 * time.Second):
		t.Fatal("no update after the poll interval")
	}
	// A long update that gets answers (one every 5 s, a transfer's
	// timeout) is alive however long it takes.
	for i := 0; i < 6; i++ {
		done := make(chan struct{})
		d.progress <- done
		<-done
		if !step(watchdog / 2) {
			t.Fatalf("no WATCHDOG=1 %v into an update that makes progress", time.Duration(i+1)*watchdog/2)
		}
	}
	// Then its transfer never returns.
	if !step(watchdog / 2) { // 5 s since the last answer
		t.Fatal("no WATCHDOG=1 5 s after the last answer")
	}
	for i := 0; i < 3; i++ { // 10 s, 15 s, 20 s: stuck
		if step(watchdog / 2) {
			t.Fatalf("WATCHDOG=1 %v after the last answer of an update that never returns", time.Duration(i+2)*watchdog/2)
		}
	}

	if code, err := SendCommand(vars, "testdrv", "t", "exit", 0); err != nil || code != 0 {
		t.Fatalf("exit: code %d, %v", code, err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("driver did not exit")
	}
}

func TestWatchdogInterval(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	for _, c := range []struct {
		vars map[string]string
		want time.Duration
	}{
		{map[string]string{}, 0},
		{map[string]string{"WATCHDOG_USEC": "60000000"}, time.Minute},
		{map[string]string{"WATCHDOG_USEC": "60000000", "WATCHDOG_PID": "42"}, time.Minute},
		{map[string]string{"WATCHDOG_USEC": "60000000", "WATCHDOG_PID": "43"}, 0},
		{map[string]string{"WATCHDOG_USEC": "0"}, 0},
		{map[string]string{"WATCHDOG_USEC": "soon"}, 0},
		{map[string]string{"WATCHDOG_USEC": "18446744073709551615"}, 0},
	} {
		if got := sdnotify.Watchdog(env(c.vars), 42); got != c.want {
			t.Errorf("%v: got %v, want %v", c.vars, got, c.want)
		}
	}
}

// tardyDriver's Update takes 700 ms of the test's clock.
type tardyDriver struct {
	stuckDriver
	clock *manualClock
}

func (d *tardyDriver) Update(ctx context.Context, dev *Device) error {
	d.clock.mu.Lock()
	d.clock.now = d.clock.now.Add(700 * time.Millisecond)
	d.clock.mu.Unlock()
	return nil
}

// The poll interval runs from the start of an update, as NUT's drivers
// count it: after an update of 700 ms, the next one comes 1.3 s later
// (pollinterval 2), not 2 s later, so that a slow device is still read
// every pollinterval.
func TestPollIntervalCountsFromTheUpdatesStart(t *testing.T) {
	dir := t.TempDir()
	vars := nutenv.Env(func(k string) string {
		switch k {
		case "NUT_CONFPATH", "NUT_STATEPATH":
			return dir
		}
		return ""
	})
	writeConf(t, dir, "[t]\n\tdriver = testdrv\n\tport = one\n\tpollinterval = 2\n")
	clock := &manualClock{now: time.Unix(1000, 0)}
	d := &tardyDriver{clock: clock}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Run(ctx, d, Args{UPS: "t"}, Env{Vars: vars, Clock: clock}) }()
	defer func() { cancel(); <-done }()
	clock.waiting(t, 1) // the first update's
	clock.advance(t, 0)
	clock.waiting(t, 1) // the second's, once the first is done
	clock.mu.Lock()
	log := clock.log[len(clock.log)-1]
	clock.mu.Unlock()
	if log != "After(1.3s) at 1000" {
		t.Errorf("after an update of 700 ms, the loop asked for %q, want After(1.3s)", log)
	}
}
