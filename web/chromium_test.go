package web

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gonut/internal/cdp"
	"gonut/internal/nuttest"
	"gonut/nutclient"
)

// outage is a power failure in three steps, each written over the
// dummy-ups device file in turn.
var outage = []struct{ state, dev string }{
	{"OL", steady},
	{"OB", strings.NewReplacer("OL CHRG", "OB DISCHRG", "input.voltage: 230.0", "input.voltage: 0.0", "battery.charge: 100", "battery.charge: 64", "battery.runtime: 2400", "battery.runtime: 1100").Replace(steady)},
	{"LB", strings.NewReplacer("OL CHRG", "OB DISCHRG LB", "input.voltage: 230.0", "input.voltage: 0.0", "battery.charge: 100", "battery.charge: 12", "battery.runtime: 2400", "battery.runtime: 95", "ups.load: 35", "ups.load: 36").Replace(steady)},
}

// firstSeen records when each UPS first showed each state.
type firstSeen struct {
	mu   sync.Mutex
	seen map[string]map[string]time.Time
	// order is each UPS's states in the order they were first seen.
	order map[string][]string
}

func (f *firstSeen) saw(key, state string, at time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.seen[key] == nil {
		f.seen[key] = map[string]time.Time{}
	}
	if _, ok := f.seen[key][state]; !ok {
		f.seen[key][state] = at
		f.order[key] = append(f.order[key], state)
	}
}

func (f *firstSeen) at(key, state string) (time.Time, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	t, ok := f.seen[key][state]
	return t, ok
}

func newFirstSeen() *firstSeen {
	return &firstSeen{seen: map[string]map[string]time.Time{}, order: map[string][]string{}}
}

// TestPageFollowsOutageInChromium plays a power failure (OL, OB, LB) on
// a dummy-ups behind Debian's upsd and ours, with one nut-web following
// both, and its page open in headless Chromium: each state shows on the
// page within a second of upsd serving it, in order, for both servers
// (Debian's polled every 0.25 s, ours through WATCH). With
// GONUT_WEB_SCREENSHOT=file.png it keeps a screenshot of the page at low
// battery.
func TestPageFollowsOutageInChromium(t *testing.T) {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("needs chromium (Debian's chromium package)")
	}
	conf := "[outage]\n\tdriver = dummy-ups\n\tport = outage.dev\n\tmode = dummy-once\n\tpollinterval = 1\n\tdesc = \"Simulated UPS\"\n"
	debian, ours := nuttest.TwoServers(t, conf, map[string]string{"outage.dev": steady}, "outage")
	play := func(dev string) {
		tmp := filepath.Join(debian.Dir, "outage.dev.new")
		if err := os.WriteFile(tmp, []byte(dev), 0o640); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, filepath.Join(debian.Dir, "outage.dev")); err != nil {
			t.Fatal(err)
		}
	}
	servers := map[string]*nuttest.Stack{"outage@" + debian.HostPort(): debian, "outage@" + ours.HostPort(): ours}
	names := map[string]string{"outage@" + debian.HostPort(): "Debian's upsd, polled", "outage@" + ours.HostPort(): "gonut's upsd, WATCH"}
	url := startWeb(t, ours, []string{"outage@" + debian.HostPort(), "outage@" + ours.HostPort()},
		"-i", "0.25", "-H", "0.05", "outage@"+debian.HostPort(), "outage@"+ours.HostPort())

	// What each upsd serves, asked every 20 ms.
	served := newFirstSeen()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for key, s := range servers {
		c, err := nutclient.Dial(ctx, s.HostPort(), nutclient.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		go func() {
			for ctx.Err() == nil {
				if st, err := c.GetVar(ctx, "outage", "ups.status"); err == nil {
					served.saw(key, (&UPS{Vars: [][2]string{{"ups.status", st}}}).State(), time.Now())
				}
				time.Sleep(20 * time.Millisecond)
			}
		}()
	}

	b, err := cdp.Start(chromium, t.TempDir(), 1280, 900)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	page, err := b.Page()
	if err != nil {
		t.Fatal(err)
	}
	defer page.Close()
	if err := page.Navigate(url); err != nil {
		t.Fatal(err)
	}
	// What the page shows, read from its DOM every 20 ms.
	shown := newFirstSeen()
	var lastDOM string
	var domMu sync.Mutex
	readPage := func() {
		js := `JSON.stringify(Array.from(document.querySelectorAll("section.ups")).map(function (s) {
			return [s.getAttribute("data-ups"), s.querySelector('[data-field="state"]').textContent,
				s.querySelector('[data-field="charge"]').textContent, document.getElementById("live").textContent]; }))`
		out, err := page.Eval(js)
		if err != nil {
			return
		}
		now := time.Now()
		var rows [][4]string
		json.Unmarshal([]byte(out), &rows)
		for _, r := range rows {
			if r[3] == "live" {
				shown.saw(r[0], r[1], now)
			}
		}
		domMu.Lock()
		lastDOM = out
		domMu.Unlock()
	}
	pollDone := make(chan struct{})
	go func() {
		defer close(pollDone)
		for ctx.Err() == nil {
			readPage()
			time.Sleep(20 * time.Millisecond)
		}
	}()
	waitShown := func(state string) {
		nuttest.Eventually(t, "the page shows "+state, func() (bool, string) {
			for key := range servers {
				if _, ok := shown.at(key, state); !ok {
					domMu.Lock()
					defer domMu.Unlock()
					return false, lastDOM
				}
			}
			return true, ""
		})
	}
	waitShown("OL")
	for _, step := range outage[1:] {
		play(step.dev)
		waitShown(step.state)
		for key := range servers {
			nuttest.Eventually(t, key+" serves "+step.state, func() (bool, string) {
				_, ok := served.at(key, step.state)
				return ok, ""
			})
			up, _ := served.at(key, step.state)
			on, _ := shown.at(key, step.state)
			// The page may see it before the 20 ms poll of upsd does.
			lag := max(on.Sub(up), 0)
			t.Logf("%s (%s): %s on the page %v after upsd served it", key, names[key], step.state, lag.Round(time.Millisecond))
			if lag > time.Second {
				t.Errorf("%s: %s showed on the page %v after upsd served it (more than a second)", key, step.state, lag)
			}
		}
	}
	// The other values follow too: the charge at low battery.
	nuttest.Eventually(t, "the page shows the charge at low battery", func() (bool, string) {
		domMu.Lock()
		defer domMu.Unlock()
		return strings.Count(lastDOM, `"12 %"`) == len(servers), lastDOM
	})
	if path := os.Getenv("GONUT_WEB_SCREENSHOT"); path != "" {
		time.Sleep(6 * time.Second) // the plots are drawn again every 5 s
		if err := page.Screenshot(path); err != nil {
			t.Error(err)
		}
	}
	cancel()
	<-pollDone
	for key := range servers {
		if got := strings.Join(shown.order[key], " "); got != "OL OB LB" {
			t.Errorf("%s: the page showed %s, want OL OB LB", key, got)
		}
	}
}
