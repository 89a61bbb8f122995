package server_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"gonut/internal/nuttest"
)

// upsdLog is what the upsd of a stack has logged so far.
func upsdLog(s *nuttest.Stack) string {
	logs, _ := filepath.Glob(filepath.Join(s.Dir, "upsd-*.log"))
	var b strings.Builder
	for _, l := range logs {
		text, _ := os.ReadFile(l)
		b.Write(text)
	}
	return b.String()
}

var (
	// What NUT's upsd logs of what clients do begins so.
	clientLine = regexp.MustCompile(`^(User |Client |Set variable: |Instant command: |tracking ID: |TRACKING: |Kicking client |Set command send failed|WARNING: Client )`)
	trackingID = regexp.MustCompile(`[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}`)
	// NUT's -D lines begin with the seconds since start, and its debug
	// lines with their level, which ours do not show.
	debugStamp = regexp.MustCompile(`^ *[0-9]+\.[0-9]{6}\t(\[D[0-9]+\] )?`)
)

// clientLines are the lines of a upsd log about what clients did, tracking
// IDs masked.
func clientLines(log string) []string {
	var out []string
	for _, l := range strings.Split(log, "\n") {
		l = debugStamp.ReplaceAllString(l, "")
		if clientLine.MatchString(l) {
			out = append(out, trackingID.ReplaceAllString(l, "<id>"))
		}
	}
	return out
}

// Our upsd logs what clients do (LOGIN, LOGOUT, FSD, SET, INSTCMD and
// their results, clients kicked at a reload, repeated USERNAME, PASSWORD
// and LOGIN) in the words of Debian's upsd, and nothing where it logs
// nothing (a client that disconnects while logged in, PRIMARY, a denied
// or unknown request), in the foreground (-F) and with -D, which adds
// MASTER's deprecation warning and the drivers' TRACKING lines.
func TestClientActionsLoggedAsDebianUpsd(t *testing.T) {
	for _, flag := range []string{"-F", "-D"} {
		t.Run(flag, func(t *testing.T) {
			conf := "[a]\n\tdriver = dummy-ups\n\tport = a.dev\n[b]\n\tdriver = dummy-ups\n\tport = b.dev\n"
			dev := "ups.status: OL\nbattery.charge: 90\nups.id: first\n"
			debian, ours := nuttest.TwoServersWith(t, []string{flag}, conf, map[string]string{"a.dev": dev, "b.dev": dev}, "a", "b")
			for _, st := range []*nuttest.Stack{debian, ours} {
				waitReady(t, st.HostPort(), "b")
				clientScript(t, st)
			}
			var deb, us []string
			nuttest.Eventually(t, "both upsd logged the same lines", func() (bool, string) {
				deb, us = clientLines(upsdLog(debian)), clientLines(upsdLog(ours))
				done := func(ls []string) bool { return len(ls) > 0 && strings.HasPrefix(ls[len(ls)-1], "Kicking client") }
				return done(deb) && done(us) && strings.Join(deb, "\n") == strings.Join(us, "\n"),
					fmt.Sprintf("\nDebian:\n%s\nours:\n%s", strings.Join(deb, "\n"), strings.Join(us, "\n"))
			})
			// A few lines spelt out, so that the comparison cannot pass
			// on two empty logs.
			want := []string{
				"User monuser@127.0.0.1 logged into UPS [a]",
				"User monuser@127.0.0.1 logged out from UPS [a]",
				"Client monuser@127.0.0.1 set FSD on UPS [a]",
				"Set variable: admin@127.0.0.1 set ups.id on a to hello world (tracking ID: disabled)",
				"Instant command: admin@127.0.0.1 did load.off with value 5 on a (tracking ID: disabled)",
				"Kicking client 127.0.0.1 (was on UPS [b])",
			}
			if flag == "-D" {
				want = append(want, "WARNING: Client monuser@127.0.0.1 requested MASTER level for device a - which is deprecated in favor of PRIMARY since NUT 2.8.0")
			}
			for _, w := range want {
				if !strings.Contains("\n"+strings.Join(us, "\n")+"\n", "\n"+w+"\n") {
					t.Errorf("our upsd did not log %q:\n%s", w, strings.Join(us, "\n"))
				}
			}
		})
	}
}

// clientScript is what clients do, one connection after another, on a
// stack of UPSes a and b; it ends with a reload that removes b.
func clientScript(t *testing.T, st *nuttest.Stack) {
	t.Helper()
	run := func(c *conn, lines ...string) []string {
		var got []string
		for _, l := range lines {
			got = append(got, c.ask(l))
		}
		return got
	}
	mon := dial(t, st.HostPort())
	run(mon, "USERNAME monuser", "PASSWORD pass", "LOGIN A", "LOGIN a", "USERNAME x", "PASSWORD y",
		"PRIMARY a", "MASTER a", "FSD a", "LOGOUT")
	anon := dial(t, st.HostPort())
	run(anon, "PASSWORD p", "PASSWORD q", "LOGIN a", "FSD a", "LOGOUT")

	admin := dial(t, st.HostPort())
	run(admin, "USERNAME admin", "PASSWORD secret", `SET VAR a ups.id "hello world"`, "INSTCMD a load.off",
		"INSTCMD a load.off 5", "SET TRACKING ON")
	// A tracked request's result is logged when the driver sends it: wait
	// for it, so that both logs have it in the same place.
	for _, req := range []string{"SET VAR a ups.id x", "INSTCMD a load.off"} {
		ans := admin.ask(req)
		id, ok := strings.CutPrefix(ans, "OK TRACKING ")
		if !ok {
			t.Fatalf("%s: %q", req, ans)
		}
		nuttest.Eventually(t, req+"'s result", func() (bool, string) {
			got := admin.ask("GET TRACKING " + id)
			return got != "PENDING", got
		})
	}
	run(admin, "SET TRACKING OFF", "INSTCMD a no.such", "SET VAR a no.such 1", "SET VAR nosuch ups.id 1", "LOGIN a")
	// Gone while logged in, without LOGOUT.
	admin.c.Close()

	kicked := dial(t, st.HostPort())
	run(kicked, "USERNAME monslave", "PASSWORD pass2", "LOGIN b")
	st.WriteFile("ups.conf", "[a]\n\tdriver = dummy-ups\n\tport = a.dev\n")
	if err := st.Upsd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	kicked.c.SetReadDeadline(time.Now().Add(20 * time.Second))
	if got, err := kicked.r.ReadString('\n'); err == nil {
		t.Fatalf("%s: the client of the UPS the reload removed is still connected: %q", st.HostPort(), got)
	}
}
