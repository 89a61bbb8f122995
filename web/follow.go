package web

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"strconv"
	"strings"
	"time"

	"gonut/nutclient"
	"gonut/upsname"
	"gonut/words"
)

// Target is what nut-web follows on one upsd: one UPS, or (UPS "") every
// UPS that upsd lists.
type Target struct {
	UPS  string
	Addr string // host:port
}

// ParseTarget reads upsname@host[:port] (one UPS) or host[:port] (every
// UPS of that upsd), as NUT's clients name them.
func ParseTarget(s string) (Target, error) {
	var t Target
	if len(s) > 0 && !strings.Contains(s, "@") {
		host, port, err := upsname.SplitAddr(s)
		if err != nil {
			return Target{}, fmt.Errorf("%q: %v (expected host[:port] or upsname@host[:port])", s, err)
		}
		t.Addr = net.JoinHostPort(host, strconv.Itoa(port))
	} else {
		n, err := upsname.Parse(s)
		if err != nil {
			return Target{}, err
		}
		t = Target{UPS: n.UPS, Addr: n.Addr()}
	}
	// What NUT's clients would only fail to connect to ("ups@]").
	if host, _, err := net.SplitHostPort(t.Addr); err != nil || strings.ContainsAny(host, "[]") {
		return Target{}, fmt.Errorf("%q: not a host name or address (expected host[:port] or upsname@host[:port])", s)
	}
	return t, nil
}

// Follower keeps a Store up to date from upsd servers.
type Follower struct {
	Store *Store
	// Poll is how often every variable is asked for again; with WATCH a
	// change of status is asked for at once besides.
	Poll time.Duration
	// Key names a UPS of a target on the page and in metrics.
	Key func(t Target, ups string) string
	Now func() time.Time
	Log *log.Logger
	// Lists: also ask for each UPS's instant commands and writable
	// variables, once a connection (for the page's actions).
	Lists bool
}

// Follow follows one target until ctx ends, connecting again after a
// failure.
func (f *Follower) Follow(ctx context.Context, t Target) {
	last := ""
	for ctx.Err() == nil {
		err := f.session(ctx, t)
		if ctx.Err() != nil {
			return
		}
		// Said once, not at each retry while upsd stays away.
		if msg := fmt.Sprint(err); msg != last {
			f.Log.Printf("%s: %s", t.Addr, msg)
			last = msg
		}
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
}

// session is one connection to upsd: it lists the UPSes (once), opens a
// WATCH feed for each where upsd offers one, and asks for every variable
// at each poll and at each notice.
func (f *Follower) session(ctx context.Context, t Target) error {
	c, err := nutclient.Dial(ctx, t.Addr, nutclient.Options{Timeout: 5 * time.Second})
	if err != nil {
		f.failAll(t, nil, "Connection failure: "+nutclient.Reason(err))
		return err
	}
	defer c.Close()
	upses := []string{t.UPS}
	if t.UPS == "" {
		rows, err := c.List(ctx, "UPS")
		if err != nil {
			return err
		}
		upses = upses[:0]
		for _, r := range rows {
			if len(r) >= 1 {
				upses = append(upses, r[0])
			}
		}
	}
	notices := make(chan string, len(upses))
	wctx, stop := context.WithCancel(ctx)
	defer stop()
	for _, u := range upses {
		w, err := nutclient.DialWatch(ctx, t.Addr, u)
		if err != nil {
			continue // NUT's upsd: polls alone
		}
		go func(u string) {
			defer w.Close()
			go func() { <-wctx.Done(); w.Close() }()
			for {
				select {
				case <-wctx.Done():
					return
				case _, ok := <-w.C:
					if !ok {
						return
					}
					select {
					case notices <- u:
					default:
					}
				}
			}
		}(u)
	}
	if f.Lists {
		// Before the UPS's first data: the page shows its forms as soon
		// as it shows the UPS.
		for _, u := range upses {
			cmds, err := c.ListNames(ctx, "CMD", u)
			if err != nil {
				f.Log.Printf("%s: LIST CMD %s: %v", t.Addr, u, err)
			}
			rw, err := c.ListNames(ctx, "RW", u)
			if err != nil {
				f.Log.Printf("%s: LIST RW %s: %v", t.Addr, u, err)
			}
			f.Store.SetLists(f.Key(t, u), t.Addr, u, cmds, rw)
		}
	}
	tick := time.NewTicker(f.Poll)
	defer tick.Stop()
	all := func() error {
		for _, u := range upses {
			if err := f.refresh(ctx, c, t, u); err != nil {
				return err
			}
		}
		return nil
	}
	err = all()
	for err == nil {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
			err = all()
		case u := <-notices:
			err = f.refresh(ctx, c, t, u) // that UPS alone
		}
	}
	f.failAll(t, upses, "Connection failure: "+nutclient.Message(err))
	return err
}

// refresh asks for one UPS's variables; an ERR about that UPS is its
// state, an error of the connection is returned.
func (f *Follower) refresh(ctx context.Context, c *nutclient.Client, t Target, ups string) error {
	vars, err := c.ListVar(ctx, ups)
	key := f.Key(t, ups)
	if err != nil {
		var ne *nutclient.Error
		if !errors.As(err, &ne) {
			return err
		}
		f.Store.Update(key, t.Addr, ups, nil, nutclient.Message(err), f.Now())
		return nil
	}
	kv := make([][2]string, len(vars))
	for i, v := range vars {
		kv[i] = [2]string{v.Name, v.Value}
		// Each variable's description, once, for the metrics' HELP.
		if f.Store.Desc(v.Name) == "" {
			desc := "Description unavailable"
			if w, err := c.Do(ctx, "GET DESC "+words.Word(ups)+" "+words.Word(v.Name)); err == nil && len(w) == 4 && w[0] == "DESC" && w[3] != "" {
				desc = w[3]
			}
			f.Store.SetDesc(v.Name, desc)
		}
	}
	f.Store.Update(key, t.Addr, ups, kv, "", f.Now())
	return nil
}

func (f *Follower) failAll(t Target, upses []string, msg string) {
	if upses == nil && t.UPS != "" {
		upses = []string{t.UPS}
	}
	for _, u := range upses {
		f.Store.Update(f.Key(t, u), t.Addr, u, nil, msg, f.Now())
	}
}
