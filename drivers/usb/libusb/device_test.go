//go:build cgo

package libusb

import (
	"context"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"gonut/drivers/usb"
	"gonut/drivers/usb/replay"
	"gonut/internal/plainlog"
)

// TestRealDevice talks to a real HID UPS through libusb, as usbhid-ups
// will: the guest test with the USB/IP simulator runs it. It is skipped
// unless GONUT_USB_DEVICE names the device:
//
//	GONUT_USB_DEVICE="vendorid=0463 productid=ffff"  matching options, as in ups.conf
//	GONUT_USB_FEATURE=0x0c           a feature report the device has (optional)
//	GONUT_USB_TRANSCRIPT=/tmp/a.usb  write the session's transcript there (optional)
//	GONUT_USB_UNPLUG=60s             then wait as long for the device to be
//	                                 unplugged (the harness does it) and as
//	                                 long again for it to come back (optional)
//
// go test -run TestRealDevice -v ./drivers/usb/libusb/ (as root, or with
// the udev rules that let the nut user open the device).
func TestRealDevice(t *testing.T) {
	spec := os.Getenv("GONUT_USB_DEVICE")
	if spec == "" {
		t.Skip("GONUT_USB_DEVICE is not set (matching options of a USB UPS, e.g. vendorid=0463)")
	}
	opts := map[string]string{}
	for _, f := range strings.Fields(spec) {
		k, v, ok := strings.Cut(f, "=")
		if !ok {
			t.Fatalf("GONUT_USB_DEVICE: %q is not option=value", f)
		}
		opts[k] = v
	}
	m, err := usb.NewMatcher(func(k string) (string, bool) { v, ok := opts[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	lb, err := NewBus()
	if err != nil {
		t.Fatal(err)
	}
	defer lb.Close()
	var bus usb.Bus = lb
	if path := os.Getenv("GONUT_USB_TRANSCRIPT"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		bus = replay.Record(lb, f)
	}
	log := plainlog.New(testWriter{t}, usb.DebugLevel(3))
	ctx := context.Background()
	c, err := usb.Open(ctx, bus, usb.Selector{Matcher: m, Log: log, Accept: func(_ usb.Identity, rd []byte) error {
		if len(rd) == 0 {
			return errors.New("empty report descriptor")
		}
		return nil
	}})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer c.Close()
	t.Logf("opened %+v, interface %+v, report descriptor of %d bytes", c.Identity(), c.Interface(), len(c.ReportDescriptor()))
	if c.Interface().EndpointIn == 0 {
		t.Error("no interrupt IN endpoint")
	}

	buf := make([]byte, 64)
	if s := os.Getenv("GONUT_USB_FEATURE"); s != "" {
		id, err := strconv.ParseUint(s, 0, 8)
		if err != nil {
			t.Fatalf("GONUT_USB_FEATURE: %v", err)
		}
		n, err := c.GetReport(ctx, usb.Feature, uint8(id), buf)
		if err != nil || n == 0 || buf[0] != uint8(id) {
			t.Errorf("feature report 0x%02x: % x, %v", id, buf[:n], err)
		}
	}
	n, err := c.Interrupt(ctx, buf, 2*time.Second)
	if err != nil && !errors.Is(err, usb.ErrTimeout) {
		t.Errorf("interrupt read: %v", err)
	}
	t.Logf("interrupt: % x, %v", buf[:n], err)

	wait, _ := time.ParseDuration(os.Getenv("GONUT_USB_UNPLUG"))
	if wait <= 0 {
		return
	}
	t.Logf("waiting up to %v for the device to be unplugged", wait)
	for deadline := time.Now().Add(wait); ; {
		_, err := c.Interrupt(ctx, buf, time.Second)
		if errors.Is(err, usb.ErrGone) {
			t.Logf("gone: %v", err)
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("still there after %v (last: %v)", wait, err)
		}
	}
	for deadline := time.Now().Add(wait); ; time.Sleep(time.Second) {
		err := c.Reconnect(ctx)
		if err == nil {
			break
		}
		if !errors.Is(err, usb.ErrNotFound) || time.Now().After(deadline) {
			t.Fatalf("Reconnect: %v", err)
		}
	}
	t.Logf("back: %+v", c.Identity())
	if _, err := c.Interrupt(ctx, buf, 2*time.Second); err != nil && !errors.Is(err, usb.ErrTimeout) {
		t.Errorf("interrupt read after Reconnect: %v", err)
	}
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}
