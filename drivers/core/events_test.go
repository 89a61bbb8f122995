package core

import (
	"context"
	"testing"
	"time"
)

// slowDriver's device is slow to read (an Update waits until the test
// lets it end) and speaks up by itself: what it sends on alerts, as a
// serial UPS sends its alert characters, becomes ups.status at once, and
// OB asks for a full read.
type slowDriver struct {
	testDriver
	alerts  chan string
	entered chan struct{} // an Update has started
	release chan struct{} // lets the waiting Update end
}

func (d *slowDriver) Init(ctx context.Context, dev *Device) error {
	d.testDriver.Init(ctx, dev)
	Listen(dev, d.alerts, func(dev *Device, status string) {
		dev.Tree.Set("ups.status", status)
		if status == "OB" {
			dev.PollNow()
		}
	})
	return nil
}

func (d *slowDriver) Update(ctx context.Context, dev *Device) error {
	d.entered <- struct{}{}
	select {
	case <-d.release:
	case <-ctx.Done():
		return ctx.Err()
	}
	return d.testDriver.Update(ctx, dev)
}

// waitUpdate waits until an Update has started.
func (d *slowDriver) waitUpdate(t *testing.T) {
	t.Helper()
	select {
	case <-d.entered:
	case <-time.After(10 * time.Second):
		t.Fatal("no Update started")
	}
}

// While an Update waits on a slow device, SET and INSTCMD are answered,
// and what the device says by itself reaches the tree, the socket and the
// service manager at once; the full read it asks for follows the Update.
func TestEventsAndCommandsWhileUpdateWaits(t *testing.T) {
	d := &slowDriver{alerts: make(chan string), entered: make(chan struct{}), release: make(chan struct{})}
	h := startDriver(t, d, "[t]\n\tdriver = testdrv\n\tport = one\n")
	clock, n := h.clock, h.notes
	clock.tick(t)
	d.waitUpdate(t)
	d.release <- struct{}{}
	n.waitFor(t, "READY=1")

	s := h.dial(t)
	s.send("DUMPALL")
	s.until("DUMPDONE")

	clock.tick(t)
	d.waitUpdate(t) // and it waits on the device from now on

	s.send(`SET battery.charge "50" TRACKING s1`)
	if got := s.until("TRACKING"); got != "TRACKING s1 0" {
		t.Fatalf("SET while an Update waits: %q", got)
	}
	s.send(`INSTCMD test.cmd TRACKING i1`)
	if got := s.until("TRACKING"); got != "TRACKING i1 0" {
		t.Fatalf("INSTCMD while an Update waits: %q", got)
	}
	d.alerts <- "OB"
	if got := s.until("SETINFO ups.status"); got != `SETINFO ups.status "OB"` {
		t.Fatalf("event while an Update waits: %q", got)
	}
	n.waitFor(t, "STATUS=ups.status: OB")
	s.send("DUMPVALUE ups.status")
	if got := s.until("SETINFO ups.status"); got != `SETINFO ups.status "OB"` {
		t.Fatalf("ups.status in the tree: %q", got)
	}

	// The Update ends; the one the event asked for starts at once,
	// without waiting for the poll interval.
	d.release <- struct{}{}
	d.waitUpdate(t)
	d.release <- struct{}{}

	h.exit(t)
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.updates != 3 {
		t.Fatalf("%d updates, want 3", d.updates)
	}
}
