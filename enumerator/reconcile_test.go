package enumerator

import (
	"context"
	"errors"
	"io"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"gonut/config"
)

// memBackend records what Reconcile asks of a service manager.
type memBackend struct {
	mu      sync.Mutex
	defined map[string]Instance
	masked  map[string]bool
	active  map[string]bool
	stale   map[string]bool
	wanted  []string
	calls   []string
}

func newMem() *memBackend {
	return &memBackend{defined: map[string]Instance{}, masked: map[string]bool{}, active: map[string]bool{}, stale: map[string]bool{}}
}

func (m *memBackend) Instances(context.Context) ([]Existing, error) {
	var out []Existing
	for n, in := range m.defined {
		out = append(out, Existing{Name: n, Section: in.Section, Checksum: in.Checksum})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}
func (m *memBackend) Masked(_ context.Context, n string) bool { return m.masked[n] }
func (m *memBackend) Define(_ context.Context, in Instance) error {
	m.defined[in.Name] = in
	m.calls = append(m.calls, "define "+in.Name)
	return nil
}
func (m *memBackend) Undefine(_ context.Context, n string) error {
	delete(m.defined, n)
	m.calls = append(m.calls, "undefine "+n)
	return nil
}
func (m *memBackend) Wanted(_ context.Context, names []string) error { m.wanted = names; return nil }
func (m *memBackend) Refresh(context.Context) error                  { m.calls = append(m.calls, "refresh"); return nil }
func (m *memBackend) Stale(_ context.Context, n string) bool         { return m.stale[n] }
func (m *memBackend) Start(_ context.Context, n string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.active[n] = true
	m.calls = append(m.calls, "start "+n)
	return nil
}
func (m *memBackend) Stop(_ context.Context, n string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.active[n] = false
	m.calls = append(m.calls, "stop "+n)
	return nil
}
func (m *memBackend) Restart(_ context.Context, n string) error {
	m.calls = append(m.calls, "restart "+n)
	return nil
}
func (m *memBackend) Active(_ context.Context, n string) bool { return m.active[n] }
func (m *memBackend) ReloadServer(context.Context) error {
	m.calls = append(m.calls, "reload upsd")
	return nil
}

func plan(t *testing.T, text string) []Instance {
	conf, errs := config.ParseUPSConf("ups.conf", strings.NewReader(text))
	if err := config.Fatal(errs); err != nil {
		t.Fatal(err)
	}
	return Plan(conf)
}

func TestReconcile(t *testing.T) {
	ctx := context.Background()
	b := newMem()
	three := "[a]\n driver = dummy-ups\n port = a.dev\n[b]\n driver = dummy-ups\n port = b.dev\n[ups+1]\n driver = dummy-ups\n port = c.dev\n"
	ch, err := Reconcile(ctx, b, plan(t, three), nil, true, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if len(ch.Added) != 3 || !b.active["a"] || !b.active[MD5Name("ups+1")] || len(b.wanted) != 3 {
		t.Fatalf("first run: %+v, calls %q", ch, b.calls)
	}
	if !strings.Contains(strings.Join(b.calls, ","), "reload upsd") {
		t.Error("upsd not reloaded for new devices")
	}

	// Nothing changed: nothing done.
	b.calls = nil
	if ch, _ := Reconcile(ctx, b, plan(t, three), nil, true, io.Discard); ch.Any() || len(b.calls) != 0 {
		t.Fatalf("no change, yet %+v %q", ch, b.calls)
	}

	// b changes and reloads; a changes, cannot reload, restarts; "my ups"
	// goes; d comes but is masked.
	b.calls = nil
	b.masked["d"] = true
	edited := "[a]\n driver = dummy-ups\n port = a2.dev\n[b]\n driver = dummy-ups\n port = b2.dev\n[d]\n driver = dummy-ups\n port = d.dev\n"
	reload := func(_ context.Context, in Instance) error {
		if in.Section == "a" {
			return errors.New("port changed")
		}
		return nil
	}
	ch, err = Reconcile(ctx, b, plan(t, edited), reload, true, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(ch.Reloaded, ",") != "b" || strings.Join(ch.Restarted, ",") != "a" ||
		strings.Join(ch.Removed, ",") != MD5Name("ups+1") || strings.Join(ch.Skipped, ",") != "d" || len(ch.Added) != 0 {
		t.Fatalf("after the edit: %+v", ch)
	}
	if _, ok := b.defined["d"]; ok || b.active["d"] {
		t.Error("a masked instance was touched")
	}
	if strings.Join(b.wanted, ",") != "a,b" {
		t.Errorf("the target wants %q", b.wanted)
	}
	if !strings.Contains(strings.Join(b.calls, ","), "reload upsd") {
		t.Error("upsd not reloaded for a removed device")
	}
}

// New drivers start before the service manager reloads (it reads a unit
// it never loaded as it starts it), unless it holds a stale copy of one;
// restarts of changed drivers that cannot reload come after it.
func TestReconcileRefreshesLast(t *testing.T) {
	ctx := context.Background()
	index := func(calls []string, c string) int {
		i := slices.Index(calls, c)
		if i < 0 {
			t.Fatalf("no %q in %q", c, calls)
		}
		return i
	}
	b := newMem()
	one := "[a]\n driver = dummy-ups\n port = a.dev\n"
	if _, err := Reconcile(ctx, b, plan(t, one), nil, true, io.Discard); err != nil {
		t.Fatal(err)
	}
	if index(b.calls, "start a") > index(b.calls, "refresh") {
		t.Fatalf("refreshed before starting a new instance: %q", b.calls)
	}

	b.calls = nil
	b.stale["b"] = true
	two := "[a]\n driver = dummy-ups\n port = a2.dev\n[b]\n driver = dummy-ups\n port = b.dev\n"
	cannot := func(context.Context, Instance) error { return errors.New("no") }
	if _, err := Reconcile(ctx, b, plan(t, two), cannot, true, io.Discard); err != nil {
		t.Fatal(err)
	}
	if index(b.calls, "refresh") > index(b.calls, "start b") {
		t.Fatalf("started an instance the service manager held stale: %q", b.calls)
	}
	if index(b.calls, "refresh") > index(b.calls, "restart a") {
		t.Fatalf("restarted before the service manager read the change: %q", b.calls)
	}
	if n := strings.Count(strings.Join(b.calls, ","), "refresh"); n != 1 {
		t.Fatalf("%d refreshes: %q", n, b.calls)
	}
}
