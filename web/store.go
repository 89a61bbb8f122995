package web

import (
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// plotted are the variables the page plots, in the order of Sample.V.
var plotted = [...]string{"battery.charge", "battery.runtime", "ups.load", "input.voltage", "output.voltage"}

// Sample is one point of a UPS's history: the plotted variables' values
// (NaN where the UPS has none, or its data was stale).
type Sample struct {
	T time.Time
	V [len(plotted)]float64
}

// UPS is what nut-web knows of one UPS.
type UPS struct {
	Key     string      // its name on the page, in URLs and in the ups label
	Addr    string      // its upsd (host:port)
	Name    string      // its name on that upsd
	Vars    [][2]string // as upsd listed them (LIST VAR), in its order
	Err     string      // why there is no fresh data ("Data stale"...); "" when fresh
	Updated time.Time   // when upsd last answered about it
	Version uint64      // the store's change count at this UPS's last change of Vars or Err
	History []Sample    // oldest first
	// Commands and Writable are the UPS's instant commands and writable
	// variables, listed when nut-web offers actions.
	Commands, Writable []string
}

// Var is a variable's value, "" when absent.
func (u *UPS) Var(name string) string {
	for _, kv := range u.Vars {
		if kv[0] == name {
			return kv[1]
		}
	}
	return ""
}

// State is the page's word for the UPS: FSD, LB, OB, OL, stale (no fresh
// data), or the status as upsd gives it when it holds none of these.
func (u *UPS) State() string {
	if u.Err != "" {
		return "stale"
	}
	flags := strings.Fields(u.Var("ups.status"))
	for _, want := range []string{"FSD", "LB", "OB", "OL"} {
		for _, f := range flags {
			if f == want {
				return want
			}
		}
	}
	if len(flags) == 0 {
		return "unknown"
	}
	return strings.Join(flags, " ")
}

// Store holds every UPS followed and tells subscribers of changes. Its
// history keeps one sample per Step, at most Keep of them.
type Store struct {
	Step time.Duration
	Keep int

	mu      sync.Mutex
	changes uint64 // how many changes the store has seen
	upss    map[string]*UPS
	descs   map[string]string // variables' descriptions (GET DESC), by name
	subs    map[chan struct{}]bool
}

// NewStore keeps one sample per step, for span.
func NewStore(step, span time.Duration) *Store {
	return &Store{Step: step, Keep: int(span / step), upss: map[string]*UPS{}, subs: map[chan struct{}]bool{}, descs: map[string]string{}}
}

// Update records what the upsd at addr said of its UPS name (key in the
// store) at now: its variables, or the error that stands for them (vars
// then keep their last values).
func (s *Store) Update(key, addr, name string, vars [][2]string, errMsg string, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.upss[key]
	if u == nil {
		u = &UPS{Key: key, Addr: addr, Name: name}
		s.upss[key] = u
	}
	changed := errMsg != u.Err
	if errMsg == "" {
		changed = changed || !sameVars(vars, u.Vars)
		u.Vars = vars
		u.Updated = now
	}
	u.Err = errMsg
	s.sample(u, now)
	if changed {
		s.changes++
		u.Version = s.changes
		for c := range s.subs {
			select {
			case c <- struct{}{}:
			default:
			}
		}
	}
}

// sample adds the UPS's values to its history: one sample per Step of
// time (the last values seen in it).
func (s *Store) sample(u *UPS, now time.Time) {
	var smp Sample
	smp.T = now
	for i, name := range plotted {
		smp.V[i] = math.NaN()
		if u.Err == "" {
			if f, err := strconv.ParseFloat(u.Var(name), 64); err == nil {
				smp.V[i] = f
			}
		}
	}
	n := len(u.History)
	if n > 0 && u.History[n-1].T.Truncate(s.Step).Equal(now.Truncate(s.Step)) {
		u.History[n-1] = smp
		return
	}
	u.History = append(u.History, smp)
	if len(u.History) > s.Keep {
		u.History = append(u.History[:0], u.History[len(u.History)-s.Keep:]...)
	}
}

func sameVars(a, b [][2]string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Snapshot is a copy of every UPS, by key, without its history.
func (s *Store) Snapshot() []UPS {
	out, _ := s.Since(0)
	return out
}

// Since is a copy of the UPSes changed after the store's change count
// after (all for 0), by key and without their history, and the count
// now.
func (s *Store) Since(after uint64) ([]UPS, uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []UPS
	for _, u := range s.upss {
		if after == 0 || u.Version > after {
			c := *u
			c.History = nil
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out, s.changes
}

// Get is a copy of one UPS.
func (s *Store) Get(key string) (UPS, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.upss[key]
	if !ok {
		return UPS{}, false
	}
	c := *u
	c.History = append([]Sample(nil), u.History...)
	return c, true
}

// Subscribe returns a channel that receives a value after changes (merged
// while not taken), and the function that ends the subscription.
func (s *Store) Subscribe() (<-chan struct{}, func()) {
	c := make(chan struct{}, 1)
	s.mu.Lock()
	s.subs[c] = true
	s.mu.Unlock()
	return c, func() {
		s.mu.Lock()
		delete(s.subs, c)
		s.mu.Unlock()
	}
}

// SetLists records a UPS's instant commands and writable variables; a UPS
// new to the store has no data yet.
func (s *Store) SetLists(key, addr, name string, commands, writable []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.upss[key]
	if u == nil {
		u = &UPS{Key: key, Addr: addr, Name: name, Err: "No data yet"}
		s.upss[key] = u
	}
	u.Commands, u.Writable = commands, writable
}

// Desc is a variable's description as upsd gave it, "" when not known.
func (s *Store) Desc(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.descs[name]
}

// SetDesc records a variable's description.
func (s *Store) SetDesc(name, desc string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.descs[name] = desc
}
