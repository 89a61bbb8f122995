package server

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gonut/drivers/sockproto"
	"gonut/state"
	"gonut/words"
)

// usable returns the UPS when it can answer, having sent the error
// otherwise.
func (s *Server) usable(c *client, name string) *ups {
	u := s.find(name)
	if u == nil {
		c.err("UNKNOWN-UPS")
		return nil
	}
	if why := u.available(s.age(), time.Now()); why != "" {
		c.err(why)
		return nil
	}
	return u
}

func q(s string) string { return words.Quote(s) }

// value is a variable as clients see it: ups.status has FSD first once a
// primary set it.
func (u *ups) value(v state.Var) string { return u.shown(v.Name, v.Value) }

func (u *ups) shown(name, value string) string {
	if len(name) != len("ups.status") || !strings.EqualFold(name, "ups.status") {
		return value
	}
	u.mu.Lock()
	fsd := u.fsd
	u.mu.Unlock()
	if fsd {
		return "FSD " + value
	}
	return value
}

func (s *Server) get(c *client, a []string) {
	if len(a) < 1 {
		c.err("INVALID-ARGUMENT")
		return
	}
	kind := strings.ToUpper(a[0])
	if kind == "TRACKING" {
		s.getTracking(c, a[1:])
		return
	}
	if len(a) < 2 {
		c.err("INVALID-ARGUMENT")
		return
	}
	switch kind {
	case "NUMLOGINS":
		u := s.usable(c, a[1])
		if u == nil {
			return
		}
		u.mu.Lock()
		n := u.logins
		u.mu.Unlock()
		c.send("NUMLOGINS %s %d", a[1], n)
		return
	case "UPSDESC":
		u := s.find(a[1])
		if u == nil {
			c.err("UNKNOWN-UPS")
			return
		}
		u.mu.Lock()
		desc := u.desc
		u.mu.Unlock()
		if desc == "" {
			desc = "Unavailable"
		}
		c.send("UPSDESC %s %s", a[1], q(desc))
		return
	}
	if len(a) < 3 {
		c.err("INVALID-ARGUMENT")
		return
	}
	name, item := a[1], a[2]
	switch kind {
	case "VAR", "TYPE":
		u := s.usable(c, name)
		if u == nil {
			return
		}
		if kind == "VAR" { // the hot path: no copy of enums and ranges
			val, ok := u.tree.Get(item)
			if !ok {
				c.err("VAR-NOT-SUPPORTED")
				return
			}
			c.line("VAR ", name, " ", item, " ", q(u.shown(item, val)))
			return
		}
		v, ok := u.tree.Var(item)
		if !ok {
			c.err("VAR-NOT-SUPPORTED")
			return
		}
		t := "TYPE " + name + " " + item
		if v.Flags&state.RW != 0 {
			t += " RW"
		}
		if len(v.Enums) > 0 {
			t += " ENUM"
		}
		if len(v.Ranges) > 0 {
			t += " RANGE"
		}
		if v.Flags&state.String != 0 {
			c.send("%s STRING:%d", t, v.Aux)
			return
		}
		c.send("%s NUMBER", t)
	case "DESC", "CMDDESC":
		if s.usable(c, name) == nil {
			return
		}
		c.send("%s %s %s %s", kind, name, item, q(s.descs.get(kind, item)))
	default:
		c.err("INVALID-ARGUMENT")
	}
}

func (s *Server) list(c *client, a []string) {
	if len(a) < 1 {
		c.err("INVALID-ARGUMENT")
		return
	}
	kind := strings.ToUpper(a[0])
	if kind == "UPS" {
		c.send("BEGIN LIST UPS")
		for _, n := range s.upsNames() {
			u := s.find(n)
			if u == nil {
				continue
			}
			u.mu.Lock()
			desc := u.desc
			u.mu.Unlock()
			if desc == "" {
				desc = "Description unavailable"
			}
			c.send("UPS %s %s", n, q(desc))
		}
		c.send("END LIST UPS")
		return
	}
	if len(a) < 2 {
		c.err("INVALID-ARGUMENT")
		return
	}
	name := a[1]
	switch kind {
	case "VAR", "RW", "CMD", "CLIENT":
	case "ENUM", "RANGE":
		if len(a) < 3 {
			c.err("INVALID-ARGUMENT")
			return
		}
	default:
		c.err("INVALID-ARGUMENT")
		return
	}
	if kind == "CLIENT" {
		u := s.find(name)
		if u == nil {
			c.err("UNKNOWN-UPS")
			return
		}
		c.send("BEGIN LIST CLIENT %s", name)
		var in []*client
		s.clientsMu.Lock()
		for cl := range s.clients {
			if cl.login == u {
				in = append(in, cl)
			}
		}
		s.clientsMu.Unlock()
		// Newest connection first, as NUT's upsd keeps them.
		slices.SortFunc(in, func(a, b *client) int { return cmp.Compare(b.seq, a.seq) })
		for _, cl := range in {
			c.send("CLIENT %s %s", u.name, cl.addr) // the name as configured
		}
		c.send("END LIST CLIENT %s", name)
		return
	}
	u := s.usable(c, name)
	if u == nil {
		return
	}
	switch kind {
	case "VAR", "RW":
		c.send("BEGIN LIST %s %s", kind, name)
		for _, v := range u.tree.Vars() {
			if kind == "RW" { // as it is: FSD shows only in LIST VAR and GET VAR
				if v.Flags&state.RW != 0 {
					c.send("RW %s %s %s", name, v.Name, q(v.Value))
				}
				continue
			}
			c.send("VAR %s %s %s", name, v.Name, q(u.value(v)))
		}
		c.send("END LIST %s %s", kind, name)
	case "CMD":
		c.send("BEGIN LIST CMD %s", name)
		for _, cmd := range u.tree.Cmds() {
			c.send("CMD %s %s", name, cmd)
		}
		c.send("END LIST CMD %s", name)
	case "ENUM", "RANGE":
		v, ok := u.tree.Var(a[2])
		if !ok {
			c.err("VAR-NOT-SUPPORTED")
			return
		}
		c.send("BEGIN LIST %s %s %s", kind, name, a[2])
		if kind == "ENUM" {
			for _, e := range v.Enums {
				c.send("ENUM %s %s %s", name, a[2], q(e))
			}
		} else {
			for _, r := range v.Ranges {
				c.send("RANGE %s %s %s %s", name, a[2], q(strconv.Itoa(r.Min)), q(strconv.Itoa(r.Max)))
			}
		}
		c.send("END LIST %s %s %s", kind, name, a[2])
	}
}

// set is SET VAR ups var value, and SET TRACKING ON|OFF.
func (s *Server) set(c *client, a []string) {
	if len(a) < 2 {
		c.err("INVALID-ARGUMENT")
		return
	}
	switch strings.ToUpper(a[0]) {
	case "TRACKING":
		switch strings.ToUpper(a[1]) {
		case "ON":
			c.tracking = true
		case "OFF":
			c.tracking = false
		default:
			c.err("INVALID-ARGUMENT")
			return
		}
		c.send("OK")
		return
	case "VAR":
	default:
		c.err("INVALID-ARGUMENT")
		return
	}
	if len(a) < 4 {
		c.err("INVALID-ARGUMENT")
		return
	}
	name, item, value := a[1], a[2], a[3]
	u := s.usable(c, name)
	if u == nil {
		return
	}
	if usr := s.user(c); usr == nil || !usr.Can("SET") {
		c.err("ACCESS-DENIED")
		return
	}
	v, ok := u.tree.Var(item)
	if !ok {
		c.err("VAR-NOT-SUPPORTED")
		return
	}
	if v.Flags&state.RW == 0 {
		c.err("READONLY")
		return
	}
	if v.Flags&state.String != 0 {
		if v.Aux < 1 {
			c.err("SET-FAILED")
			return
		}
		if int64(len(value)) > v.Aux {
			c.err("TOO-LONG")
			return
		}
	}
	if len(v.Enums) > 0 && !contains(v.Enums, value) {
		c.err("INVALID-VALUE")
		return
	}
	if len(v.Ranges) > 0 && !inRanges(v.Ranges, value) {
		c.err("INVALID-VALUE")
		return
	}
	req := sockproto.Request{Cmd: sockproto.Set, Name: item, Value: value, HasValue: true}
	s.forward(c, u, req, "SET-FAILED")
}

func contains(list []string, v string) bool {
	for _, e := range list {
		if e == v {
			return true
		}
	}
	return false
}

func inRanges(rs []state.Range, v string) bool {
	n, err := strconv.Atoi(v)
	if err != nil {
		return false
	}
	for _, r := range rs {
		if n >= r.Min && n <= r.Max {
			return true
		}
	}
	return false
}

// instcmd is INSTCMD ups cmd [value].
func (s *Server) instcmd(c *client, a []string) {
	if len(a) < 2 {
		c.err("INVALID-ARGUMENT")
		return
	}
	name, cmd := a[0], a[1]
	u := s.usable(c, name)
	if u == nil {
		return
	}
	if !u.tree.HasCmd(cmd) {
		c.err("CMD-NOT-SUPPORTED")
		return
	}
	if usr := s.user(c); usr == nil || !usr.CanRun(cmd) {
		c.err("ACCESS-DENIED")
		return
	}
	req := sockproto.Request{Cmd: sockproto.InstCmd, Name: cmd}
	if len(a) == 3 {
		req.Value, req.HasValue = a[2], true
	}
	s.forward(c, u, req, "INSTCMD-FAILED")
}

// forward sends a SET or INSTCMD to the driver, with a TRACKING id when
// the client asked for tracking.
func (s *Server) forward(c *client, u *ups, req sockproto.Request, failure string) {
	tracking := "disabled"
	if c.tracking {
		req.Tracking = newTrackingID()
		tracking = req.Tracking
		now := time.Now()
		keep := s.trackingDelay()
		u.mu.Lock()
		u.pruneTracking(now, keep)
		u.tracking[req.Tracking] = trackResult{result: sockproto.Pending, at: now}
		u.mu.Unlock()
	}
	if req.Cmd == sockproto.Set {
		s.logf("Set variable: %s set %s on %s to %s (tracking ID: %s)", c.who(), req.Name, u.name, req.Value, tracking)
	} else {
		with := ""
		if req.HasValue {
			with = " with value " + req.Value
		}
		s.logf("Instant command: %s did %s%s on %s (tracking ID: %s)", c.who(), req.Name, with, u.name, tracking)
	}
	if !u.send(req) {
		s.logf("Set command send failed")
		c.err(failure)
		return
	}
	if req.Tracking != "" {
		c.send("OK TRACKING %s", req.Tracking)
		return
	}
	c.send("OK")
}

// getTracking is GET TRACKING [id].
func (s *Server) getTracking(c *client, a []string) {
	if len(a) == 0 {
		if c.tracking {
			c.send("ON")
		} else {
			c.send("OFF")
		}
		return
	}
	if !c.tracking {
		c.err("FEATURE-NOT-CONFIGURED")
		return
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	now := time.Now()
	for _, u := range s.upses {
		u.mu.Lock()
		r, ok := u.tracking[strings.ToUpper(a[0])] // ids are upper case; NUT compares without case
		u.mu.Unlock()
		if ok && now.Sub(r.at) <= s.trackAge {
			c.send("%s", r.result.Tracking())
			return
		}
	}
	c.err("UNKNOWN")
}

// pruneTracking forgets results older than TRACKINGDELAY, at most once a
// second; u.mu is held.
func (u *ups) pruneTracking(now time.Time, keep time.Duration) {
	if now.Sub(u.pruned) < time.Second {
		return
	}
	u.pruned = now
	for id, r := range u.tracking {
		if now.Sub(r.at) > keep {
			delete(u.tracking, id)
		}
	}
}

// trackingDelay is TRACKINGDELAY, which a reload may change.
func (s *Server) trackingDelay() time.Duration {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.trackAge
}
