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
		out = append(out, Existing{Name: n, Section: in.Section, Checksum: in.Checksum, Runtime: in.Runtime})
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

// Runtime instances (hot-plugged devices') start and stop without the
// service manager reloading (the slowest step: seconds when emulated),
// and the driver target does not want them; upsd is reloaded.
func TestReconcileRuntimeInstances(t *testing.T) {
	ctx := context.Background()
	b := newMem()
	admin := plan(t, "[a]\n driver = dummy-ups\n port = a.dev\n")
	if _, err := Reconcile(ctx, b, admin, nil, true, io.Discard); err != nil {
		t.Fatal(err)
	}
	hot := Instance{Section: "usb-x", Name: "usb-x", Driver: "usbhid-ups", Port: "auto", Media: "usb", Checksum: "1", Runtime: true}
	for _, step := range []struct {
		name string
		plan []Instance
		want string
	}{
		{"plugged", append(slices.Clone(admin), hot), "start usb-x,reload upsd"},
		{"unplugged", admin, "undefine usb-x,stop usb-x,reload upsd"},
	} {
		b.calls = nil
		if _, err := Reconcile(ctx, b, step.plan, nil, true, io.Discard); err != nil {
			t.Fatal(err)
		}
		var calls []string
		for _, c := range b.calls {
			if !strings.HasPrefix(c, "define ") {
				calls = append(calls, c)
			}
		}
		if got := strings.Join(calls, ","); got != step.want {
			t.Errorf("%s: %s, want %s", step.name, got, step.want)
		}
		if strings.Join(b.wanted, ",") != "a" {
			t.Errorf("%s: the target wants %q", step.name, b.wanted)
		}
	}
	// One the service manager still holds from an earlier plug, changed
	// since: it reloads first.
	b.calls = nil
	b.stale["usb-x"] = true
	if _, err := Reconcile(ctx, b, append(slices.Clone(admin), hot), nil, true, io.Discard); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(b.calls, ","); got != "define usb-x,refresh,start usb-x,reload upsd" {
		t.Errorf("stale: %s", got)
	}
}
