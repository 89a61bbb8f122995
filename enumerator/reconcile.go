package enumerator

import (
	"context"
	"fmt"
	"io"
	"sort"
	"sync"
	"time"
)

// Existing is an instance the service manager has from an earlier run.
type Existing struct {
	Name     string
	Section  string // as its drop-in says
	Checksum string // as its drop-in says
	Runtime  bool   // a runtime section's, as its drop-in says
}

// Backend is a service manager: systemd now, SMF later.
type Backend interface {
	// Instances are the driver instances the enumerator set up before.
	Instances(ctx context.Context) ([]Existing, error)
	// Masked reports whether the admin masked an instance: left alone.
	Masked(ctx context.Context, name string) bool
	// Define writes an instance's configuration; Undefine removes it.
	Define(ctx context.Context, in Instance) error
	Undefine(ctx context.Context, name string) error
	// Wanted sets the instances the driver target starts.
	Wanted(ctx context.Context, names []string) error
	// Refresh makes the service manager read what changed.
	Refresh(ctx context.Context) error
	// Stale reports whether the service manager holds an instance's
	// configuration from before its last Define: it must Refresh before
	// the instance starts. One it has not read yet reads it as it starts.
	Stale(ctx context.Context, name string) bool
	Start(ctx context.Context, name string) error
	Stop(ctx context.Context, name string) error
	Restart(ctx context.Context, name string) error
	// Active reports whether an instance runs.
	Active(ctx context.Context, name string) bool
	// ReloadServer asks a running upsd to re-read ups.conf.
	ReloadServer(ctx context.Context) error
}

// Reloader asks a running driver to re-read its section without a
// restart (driver -c reload-or-error); an error means it must restart.
type Reloader func(ctx context.Context, in Instance) error

// Changes says what a reconcile did.
type Changes struct {
	Added, Removed, Reloaded, Restarted, Skipped []string
}

// Any reports whether anything changed.
func (c Changes) Any() bool {
	return len(c.Added)+len(c.Removed)+len(c.Reloaded)+len(c.Restarted) > 0
}

// Reconcile brings the backend in step with the plan: new sections get an
// instance (started when start is set), gone ones are stopped and
// removed, changed ones are asked to reload and restarted only if they
// cannot; masked instances are left alone. upsd is reloaded when the list
// of devices changed.
func Reconcile(ctx context.Context, b Backend, plan []Instance, reload Reloader, start bool, log io.Writer) (Changes, error) {
	var ch Changes
	existing, err := b.Instances(ctx)
	if err != nil {
		return ch, err
	}
	have := map[string]Existing{}
	for _, e := range existing {
		have[e.Name] = e
	}
	want := map[string]bool{}
	var wanted []string
	var changed []Instance
	var added []Instance
	// Runtime instances (hot-plugged devices') are started and stopped
	// here, as their devices come and go: the driver target does not want
	// them, and the service manager need not reload for them (it reads a
	// unit it never loaded as it starts it; one it still holds is Stale).
	reread := false
	for _, in := range plan {
		want[in.Name] = true
		if b.Masked(ctx, in.Name) {
			fmt.Fprintf(log, "SKIP: %s is masked\n", in.Unit())
			ch.Skipped = append(ch.Skipped, in.Name)
			continue
		}
		if !in.Runtime {
			wanted = append(wanted, in.Name)
		}
		e, ok := have[in.Name]
		switch {
		case !ok:
			added = append(added, in)
			reread = reread || !in.Runtime
		case e.Checksum != in.Checksum || e.Section != in.Section:
			changed = append(changed, in)
			reread = true
		default:
			continue
		}
		if err := b.Define(ctx, in); err != nil {
			return ch, fmt.Errorf("%s: %w", in.Unit(), err)
		}
	}
	var removed []string
	for _, e := range existing {
		if !want[e.Name] {
			removed = append(removed, e.Name)
			reread = reread || !e.Runtime
		}
	}
	sort.Strings(removed)
	for _, name := range removed {
		if err := b.Undefine(ctx, name); err != nil {
			return ch, err
		}
	}
	// The service manager reads the new configuration (systemd's
	// daemon-reload: the slowest step) after new drivers have started
	// and changed ones reloaded: an instance it never loaded reads its
	// drop-ins as it starts, and the others keep running meanwhile.
	refreshed := false
	refresh := func() error {
		if !reread || refreshed {
			return nil
		}
		refreshed = true
		t := time.Now()
		if err := b.Refresh(ctx); err != nil {
			return err
		}
		fmt.Fprintf(log, "Service manager reloaded in %v\n", time.Since(t).Round(time.Millisecond))
		return nil
	}
	if reread {
		if err := b.Wanted(ctx, wanted); err != nil {
			return ch, err
		}
	}
	for _, in := range added {
		if start && b.Stale(ctx, in.Name) {
			reread = true
			if err := refresh(); err != nil {
				return ch, err
			}
			break
		}
	}
	// New drivers start and gone ones stop all at once: one slow device
	// does not hold up the others.
	var wg sync.WaitGroup
	var mu sync.Mutex
	job := func(what string, f func(context.Context, string) error, name string) {
		defer wg.Done()
		if err := f(ctx, name); err != nil {
			mu.Lock()
			fmt.Fprintf(log, "%s %s@%s: %v\n", what, Service, name, err)
			mu.Unlock()
		}
	}
	for _, in := range added {
		ch.Added = append(ch.Added, in.Name)
		fmt.Fprintf(log, "Added instance %s for NUT configuration section [%s]\n", in.Unit(), in.Section)
		if start {
			wg.Add(1)
			go job("starting", b.Start, in.Name)
		}
	}
	for _, name := range removed {
		ch.Removed = append(ch.Removed, name)
		fmt.Fprintf(log, "Removed instance %s@%s\n", Service, name)
		wg.Add(1)
		go job("stopping", b.Stop, name)
	}
	wg.Wait()
	var restart []Instance
	for _, in := range changed {
		if !b.Active(ctx, in.Name) {
			continue
		}
		if reload != nil && reload(ctx, in) == nil {
			ch.Reloaded = append(ch.Reloaded, in.Name)
			fmt.Fprintf(log, "Reloaded %s: section [%s] changed\n", in.Unit(), in.Section)
			continue
		}
		restart = append(restart, in)
	}
	if len(ch.Added)+len(ch.Removed) > 0 {
		if err := b.ReloadServer(ctx); err != nil {
			fmt.Fprintf(log, "reloading upsd: %v\n", err)
		}
	}
	if err := refresh(); err != nil {
		return ch, err
	}
	for _, in := range restart {
		if err := b.Restart(ctx, in.Name); err != nil {
			return ch, fmt.Errorf("restarting %s: %w", in.Unit(), err)
		}
		ch.Restarted = append(ch.Restarted, in.Name)
		fmt.Fprintf(log, "Restarted %s: section [%s] changed\n", in.Unit(), in.Section)
	}
	return ch, nil
}
