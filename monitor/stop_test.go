package monitor_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"gonut/internal/nuttest"
)

// upsmon stops when asked while something its NOTIFYCMD started still
// runs (upssched's timer daemon with a timer pending; here a sleep), as
// NUT's does: NUT's monitor marks its end of the pipe to the privileged
// parent close-on-exec, so that nothing it runs holds the pipe open and
// the parent sees the end of it when its child exits. Ours must do the
// same, and its parent also ends when its child does, whoever holds the
// pipe. Each case runs Debian's upsmon and ours, split in two (no -p).
func TestUpsmonStopsDespiteNotifyLeftovers(t *testing.T) {
	nuttest.NeedDebianUpsmon(t)
	ours := nuttest.Build(t, "gonut/cmd/upsmon")
	s := onBattery(t)
	base := t.TempDir()
	n := 0
	// Debian's upsmon's PID file names its monitor, ours its parent: each
	// "upsmon -c stop" signals that one.
	for _, c := range []struct {
		name string
		stop func(t *testing.T, u *nuttest.Upsmon, pids []int)
		// parentOnly: Debian's monitor lives on without its parent
		// (unable to shut the host down); ours ends with it.
		parentOnly bool
	}{
		{"upsmon -c stop", func(t *testing.T, u *nuttest.Upsmon, pids []int) {
			if r := u.Control("stop"); r.Code != 0 {
				t.Fatalf("upsmon -c stop: %+v", r)
			}
		}, false},
		// systemd's stop: SIGTERM to every process of the service. The
		// leftover is spared, as one that ignores SIGTERM would be.
		{"SIGTERM to both upsmon processes", func(t *testing.T, u *nuttest.Upsmon, pids []int) {
			for _, p := range pids {
				syscall.Kill(p, syscall.SIGTERM)
			}
		}, false},
		{"SIGTERM to the parent", func(t *testing.T, u *nuttest.Upsmon, pids []int) {
			syscall.Kill(pids[0], syscall.SIGTERM)
		}, true},
	} {
		for _, bin := range []string{nuttest.DebianUpsmon, ours} {
			who := "ours"
			if bin == nuttest.DebianUpsmon {
				who = "Debian's"
			}
			t.Run(c.name+"/"+who, func(t *testing.T) {
				n++
				u := nuttest.StartUpsmonWith(t, bin, base, strconv.Itoa(n), s.Addr("a")+" 1 monuser pass primary", leave, "-F")
				left := notified(t, u, who)
				var pids []int
				nuttest.Eventually(t, "upsmon split in two", func() (bool, string) {
					pids = u.Processes()
					return len(pids) == 2, fmt.Sprintf("processes %v, events %q", pids, u.Saw())
				})
				if pids[0] != u.Cmd.Process.Pid {
					t.Fatalf("upsmon processes %v: the first is not the one started (%d)", pids, u.Cmd.Process.Pid)
				}
				c.stop(t, u, pids)
				gone := pids
				if c.parentOnly && bin == nuttest.DebianUpsmon {
					gone = pids[:1]
				}
				allGone(t, gone)
				if c.parentOnly && bin == nuttest.DebianUpsmon && !nuttest.Alive(pids[1]) {
					// The README says otherwise ("Where gonut differs").
					t.Errorf("Debian's monitor ended with its parent")
				}
				stillThere(t, left)
			})
		}
	}
}

// onBattery is Debian's upsd and dummy-ups serving UPS a, on battery.
func onBattery(t *testing.T) *nuttest.Stack {
	t.Helper()
	s := nuttest.NewStack(t, "[a]\n\tdriver = dummy-ups\n\tport = a.dev\n", map[string]string{"a.dev": "ups.status: OB\nbattery.charge: 90\n"})
	s.Start(nuttest.DebianDummy, "-a", "a", "-u", "root", "-F")
	s.WaitSocket("dummy-ups", "a")
	s.StartUpsd()
	nuttest.Eventually(t, "upsd serves", func() (bool, string) {
		r := nuttest.Exec("", "upsc", s.Addr("a"), "ups.status")
		return r.Code == 0 && r.Out == "OB\n", r.Out + r.Err
	})
	return s
}

// leave is NOTIFYCMD's end: it leaves a process behind that holds
// whatever it inherited, and lists what it inherited.
const leave = "sleep 120 &\necho $! >> \"$(dirname \"$0\")/leftovers\"\n" + nuttest.InheritedScript + " >> \"$(dirname \"$0\")/inherited\"\n"

// notified waits for the first NOTIFYCMD to run to its end, checks that it
// inherited no pipe or socket beyond stdin, stdout and stderr, and returns
// the processes it left (killed when the test ends).
func notified(t *testing.T, u *nuttest.Upsmon, who string) []int {
	t.Helper()
	inherited := filepath.Join(u.Dir, "inherited") // written last
	nuttest.Eventually(t, "NOTIFYCMD ran", func() (bool, string) {
		_, err := os.Stat(inherited)
		return err == nil, u.Saw()
	})
	var left []int
	b, _ := os.ReadFile(filepath.Join(u.Dir, "leftovers"))
	for _, f := range strings.Fields(string(b)) {
		p, _ := strconv.Atoi(f)
		left = append(left, p)
	}
	t.Cleanup(func() {
		for _, p := range left {
			nuttest.KillIf(p, "sleep")
		}
	})
	b, _ = os.ReadFile(inherited)
	if p := nuttest.InheritedPipes(string(b)); len(p) > 0 {
		t.Errorf("%s NOTIFYCMD inherited %s", who, p)
	}
	return left
}

// stillThere checks that NOTIFYCMD's leftovers outlived upsmon, without
// which a test of upsmon's end shows nothing.
func stillThere(t *testing.T, left []int) {
	t.Helper()
	for _, p := range left {
		if !nuttest.Alive(p) {
			t.Fatalf("NOTIFYCMD's leftover %d ended too: the test shows nothing", p)
		}
	}
}

// allGone waits until none of pids runs.
func allGone(t *testing.T, pids []int) {
	t.Helper()
	nuttest.Eventually(t, "upsmon gone", func() (bool, string) {
		var alive []int
		for _, p := range pids {
			if nuttest.Alive(p) {
				alive = append(alive, p)
			}
		}
		return len(alive) == 0, fmt.Sprintf("still running: %v", alive)
	})
}
