package usb_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"gonut/drivers/usb"
	"gonut/drivers/usb/replay"
)

func open(t *testing.T, bus usb.Bus, sel usb.Selector) *usb.Conn {
	t.Helper()
	c, err := usb.Open(context.Background(), bus, sel)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestReports(t *testing.T) {
	d := eaton()
	d.Report(usb.Feature, 0x0c, []byte{0x0c, 100})
	d.Report(usb.Input, 0x01, []byte{0x01, 0x0b})
	d.Strings = map[uint8]string{5: "Eaton 5E 850i"}
	c := open(t, replay.NewBus(d), usb.Selector{Accept: accept})
	ctx := context.Background()

	buf := make([]byte, 8)
	n, err := c.GetReport(ctx, usb.Feature, 0x0c, buf)
	if err != nil || !bytes.Equal(buf[:n], []byte{0x0c, 100}) {
		t.Errorf("GetReport feature 0x0c = % x, %v", buf[:n], err)
	}
	n, err = c.GetReport(ctx, usb.Input, 0x01, buf)
	if err != nil || !bytes.Equal(buf[:n], []byte{0x01, 0x0b}) {
		t.Errorf("GetReport input 0x01 = % x, %v", buf[:n], err)
	}
	if n, err := c.SetReport(ctx, usb.Feature, 0x0f, []byte{0x0f, 0x14, 0x00}); n != 3 || err != nil {
		t.Errorf("SetReport = %d, %v", n, err)
	}
	w := d.Writes()
	if len(w) != 1 || w[0].Setup != (replay.Setup{RequestType: 0x21, Request: 0x09, Value: 0x030f, Index: 0}) ||
		!bytes.Equal(w[0].Data, []byte{0x0f, 0x14, 0x00}) {
		t.Errorf("writes %+v", w)
	}
	if s, err := c.StringDescriptor(ctx, 5); s != "Eaton 5E 850i" || err != nil {
		t.Errorf("StringDescriptor = %q, %v", s, err)
	}

	// A report the device does not have: a stall, not a lost device.
	_, err = c.GetReport(ctx, usb.Feature, 0x77, buf)
	if !errors.Is(err, usb.ErrStall) || errors.Is(err, usb.ErrGone) || errors.Is(err, usb.ErrTimeout) {
		t.Errorf("unknown report: %v", err)
	}
	if _, err := c.StringDescriptor(ctx, 9); !errors.Is(err, usb.ErrStall) {
		t.Errorf("unknown string: %v", err)
	}
}

func TestInterrupt(t *testing.T) {
	d := eaton()
	c := open(t, replay.NewBus(d), usb.Selector{Accept: accept})
	ctx := context.Background()
	buf := make([]byte, 8)

	// Nothing to say: a timeout.
	if _, err := c.Interrupt(ctx, buf, 10*time.Millisecond); !errors.Is(err, usb.ErrTimeout) || errors.Is(err, usb.ErrGone) {
		t.Errorf("quiet device: %v", err)
	}

	// The report that comes while the read waits, its own length (NUT
	// 2.8.0's libusb1.c l. 874 returns the buffer's).
	go func() {
		waitFor(d)
		d.Interrupt(replay.Answer{Data: []byte{0x01, 0x03}})
	}()
	n, err := c.Interrupt(ctx, buf, 10*time.Second)
	if err != nil || !bytes.Equal(buf[:n], []byte{0x01, 0x03}) {
		t.Errorf("Interrupt = % x, %v", buf[:n], err)
	}

	// A stalled endpoint is cleared: CLEAR_FEATURE(ENDPOINT_HALT) to it
	// (libusb1.c l. 864 clears 0x81, whatever the endpoint).
	d.Interrupt(replay.Answer{Err: usb.CodePipe})
	if _, err := c.Interrupt(ctx, buf, time.Second); !errors.Is(err, usb.ErrStall) {
		t.Errorf("stall: %v", err)
	}
	tr := d.Transfers()
	if last := tr[len(tr)-1]; last.Setup != (replay.Setup{RequestType: 0x02, Request: 0x01, Value: 0, Index: 0x81}) {
		t.Errorf("after a stall: %+v", last)
	}

	// The caller's own deadline is its own error.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := c.Interrupt(cctx, buf, time.Second); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

// Unplugged, the device is gone for every request, and a read that waits
// learns it at once; a stall that comes with an unplug is gone too.
func TestGone(t *testing.T) {
	d := eaton()
	c := open(t, replay.NewBus(d), usb.Selector{Accept: accept})
	ctx := context.Background()
	buf := make([]byte, 8)

	done := make(chan error)
	go func() {
		_, err := c.Interrupt(ctx, buf, time.Minute)
		done <- err
	}()
	waitFor(d)
	d.Unplug()
	select {
	case err := <-done:
		if !errors.Is(err, usb.ErrGone) {
			t.Errorf("waiting read: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the waiting read did not end")
	}
	for name, err := range map[string]error{
		"GetReport": func() error { _, err := c.GetReport(ctx, usb.Feature, 1, buf); return err }(),
		"SetReport": func() error { _, err := c.SetReport(ctx, usb.Feature, 1, buf[:2]); return err }(),
		"String":    func() error { _, err := c.StringDescriptor(ctx, 1); return err }(),
	} {
		if !errors.Is(err, usb.ErrGone) {
			t.Errorf("%s: %v", name, err)
		}
	}

	// A pipe error from a device that no longer answers GET_STATUS.
	d = eaton()
	c = open(t, replay.NewBus(d), usb.Selector{})
	d.On(replay.Setup{RequestType: 0xa1, Request: 0x01, Value: 0x0301}, replay.Answer{Err: usb.CodePipe})
	d.On(replay.Setup{RequestType: 0x80, Request: 0x00}, replay.Answer{Err: usb.CodeNoDevice})
	_, err := c.GetReport(ctx, usb.Feature, 1, buf)
	if !errors.Is(err, usb.ErrGone) || errors.Is(err, usb.ErrStall) {
		t.Errorf("pipe error after an unplug: %v", err)
	}
}

// waitFor waits until a read waits on the device's interrupt endpoint.
func waitFor(d *replay.Device) {
	for d.Waiting() == 0 {
		time.Sleep(time.Millisecond)
	}
}

// Reconnect finds the same device again, wherever it comes back, and not
// another unit of the same model; NUT does not read the report
// descriptor again, nor does this.
func TestReconnect(t *testing.T) {
	d := eaton()
	bus := replay.NewBus(keyboard(), d)
	c := open(t, bus, usb.Selector{Matcher: matcher(t, "vendorid", "0463"), Accept: accept})
	ctx := context.Background()
	d.Unplug()
	if _, err := c.GetReport(ctx, usb.Feature, 1, make([]byte, 8)); !errors.Is(err, usb.ErrGone) {
		t.Fatalf("unplugged: %v", err)
	}
	if err := c.Reconnect(ctx); !errors.Is(err, usb.ErrNotFound) {
		t.Fatalf("Reconnect while unplugged = %v", err)
	}
	if _, err := c.GetReport(ctx, usb.Feature, 1, make([]byte, 8)); !errors.Is(err, usb.ErrGone) {
		t.Errorf("not reconnected: %v", err)
	}

	other := eaton()
	other.Address, other.Serial = 12, "G201H29099"
	bus.Add(other)
	if err := c.Reconnect(ctx); !errors.Is(err, usb.ErrNotFound) {
		t.Fatalf("Reconnect took another unit: %v (%+v)", err, c.Identity())
	}

	d.Plug()
	before := len(d.Transfers())
	if err := c.Reconnect(ctx); err != nil {
		t.Fatalf("Reconnect = %v", err)
	}
	if id := c.Identity(); id.Serial != "G201H29023" || id.Device != "004" {
		t.Errorf("reconnected to %+v", id)
	}
	for _, tr := range d.Transfers()[before:] {
		if tr.Setup.RequestType == 0x81 {
			t.Errorf("HID descriptor read again: %+v", tr)
		}
	}
	if !bytes.Equal(c.ReportDescriptor(), reportDesc) {
		t.Errorf("report descriptor lost")
	}
	d.Report(usb.Feature, 1, []byte{1, 42})
	if n, err := c.GetReport(ctx, usb.Feature, 1, make([]byte, 8)); n != 2 || err != nil {
		t.Errorf("after Reconnect: %d, %v", n, err)
	}
}

func TestResetAndClose(t *testing.T) {
	d := eaton()
	c, err := usb.Open(context.Background(), replay.NewBus(d), usb.Selector{})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Reset(context.Background()); err != nil {
		t.Fatal(err)
	}
	claims := 0
	for _, tr := range d.Transfers() {
		if tr.Kind == "claim" && tr.Err == 0 {
			claims++
		}
	}
	if claims != 2 {
		t.Errorf("claimed %d times", claims)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetReport(context.Background(), usb.Feature, 1, make([]byte, 2)); !errors.Is(err, usb.ErrClosed) || errors.Is(err, usb.ErrGone) {
		t.Errorf("after Close: %v", err)
	}
	if err := c.Reconnect(context.Background()); !errors.Is(err, usb.ErrClosed) {
		t.Errorf("Reconnect after Close: %v", err)
	}
}

// An interrupt read may wait long for a report (a UPS says nothing for
// hours); Reset, Reconnect and Close do not wait for it: they end it
// (the reader sees ErrTimeout and reads again), then go on.
func TestLongInterruptReadYields(t *testing.T) {
	d := eaton()
	c := open(t, replay.NewBus(d), usb.Selector{Matcher: matcher(t, "vendorid", "0463"), Accept: accept})
	ctx := context.Background()
	for _, op := range []struct {
		name string
		f    func() error
	}{
		{"Reset", func() error { return c.Reset(ctx) }},
		{"Reconnect", func() error { return c.Reconnect(ctx) }},
		{"Close", c.Close},
	} {
		read := make(chan error, 1)
		go func() { _, err := c.Interrupt(ctx, make([]byte, 8), time.Hour); read <- err }()
		for d.Waiting() == 0 {
			time.Sleep(time.Millisecond)
		}
		done := make(chan error, 1)
		go func() { done <- op.f() }()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("%s: %v", op.name, err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%s waits for the interrupt read", op.name)
		}
		if err := <-read; !errors.Is(err, usb.ErrTimeout) {
			t.Errorf("%s: the interrupt read ended with %v, want ErrTimeout", op.name, err)
		}
	}
}
