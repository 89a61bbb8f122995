package server

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync/atomic"
	"testing"

	"gonut/config"
	"gonut/internal/nuttest"
	"gonut/nutenv"
)

// A driver that says nothing after its dump is sent PING once it has been
// quiet for a third of MAXAGE (as NUT's upsd does), and its PONG keeps
// its data fresh; one that does not answer goes stale after MAXAGE.
func TestQuietDriverIsPinged(t *testing.T) {
	for _, answers := range []bool{true, false} {
		dir := t.TempDir()
		l, err := net.Listen("unix", dir+"/dummy-ups-u")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		var pings atomic.Int32
		go func() {
			c, err := l.Accept()
			if err != nil {
				return
			}
			defer c.Close()
			r := bufio.NewReader(c)
			for {
				line, err := r.ReadString('\n')
				if err != nil {
					return
				}
				switch strings.TrimSpace(line) {
				case "DUMPALL":
					io.WriteString(c, "SETINFO ups.status \"OL\"\nDATAOK\nDUMPDONE\n")
				case "PING":
					pings.Add(1)
					if answers {
						io.WriteString(c, "PONG\n")
					}
				}
			}
		}()
		upsConf, _ := config.ParseUPSConf("ups.conf", strings.NewReader("[u]\ndriver = dummy-ups\nport = x\n"))
		conf, _ := config.ParseUpsdConf("upsd.conf", strings.NewReader("MAXAGE 3\n"))
		env := nutenv.Env(func(k string) string {
			if k == "NUT_STATEPATH" {
				return dir
			}
			return ""
		})
		s := New(upsConf, conf, &config.Users{}, env, slog.New(slog.NewTextHandler(io.Discard, nil)))
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s.FollowDrivers(ctx)
		addr := serveOn(t, s, true)
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		r := bufio.NewReader(c)
		ask := func() string {
			fmt.Fprintf(c, "GET VAR u ups.status\n")
			a, _ := r.ReadString('\n')
			return strings.TrimSpace(a)
		}
		nuttest.Eventually(t, "the dump", func() (bool, string) { a := ask(); return a == `VAR u ups.status "OL"`, a })
		if answers {
			// Four pings: four seconds, more than MAXAGE, with nothing
			// from the driver but PONG.
			nuttest.Eventually(t, "4 pings", func() (bool, string) { return pings.Load() >= 4, fmt.Sprint(pings.Load()) })
			if a := ask(); a != `VAR u ups.status "OL"` {
				t.Errorf("a driver answering PONG: %q", a)
			}
		} else {
			nuttest.Eventually(t, "DATA-STALE", func() (bool, string) { a := ask(); return a == "ERR DATA-STALE", a })
			if pings.Load() == 0 {
				t.Error("the driver was never pinged")
			}
		}
	}
}
