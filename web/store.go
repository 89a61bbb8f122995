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
	Vars    [][2]string // as upsd listed them (LIST VAR), in its order
	Err     string      // why there is no fresh data ("Data stale"...); "" when fresh
	Updated time.Time   // when upsd last answered about it
	Version uint64      // bumped at each change of Vars or Err
	History []Sample    // oldest first
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

	mu   sync.Mutex
	upss map[string]*UPS
	subs map[chan struct{}]bool
}

// NewStore keeps one sample per step, for span.
func NewStore(step, span time.Duration) *Store {
	return &Store{Step: step, Keep: int(span / step), upss: map[string]*UPS{}, subs: map[chan struct{}]bool{}}
}

// Update records what upsd said of a UPS at now: its variables, or the
// error that stands for them (vars then keep their last values).
func (s *Store) Update(key string, vars [][2]string, errMsg string, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.upss[key]
	if u == nil {
		u = &UPS{Key: key}
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
		u.Version++
		for c := range s.subs {
			select {
			case c <- struct{}{}:
			default:
			}
		}
	}
}

// sample adds the UPS's values to its history, replacing the last sample
// while it is within Step of the one before it.
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
	if n >= 2 && now.Sub(u.History[n-2].T) < s.Step {
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

// Snapshot is a copy of every UPS, by key.
func (s *Store) Snapshot() []UPS {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]UPS, 0, len(s.upss))
	for _, u := range s.upss {
		c := *u
		c.History = append([]Sample(nil), u.History...)
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
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
