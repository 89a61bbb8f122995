//go:build cgo

package libusb

import (
	"errors"
	"os"
	"regexp"
	"testing"
	"time"

	"gonut/drivers/usb"
)

// A transfer's end becomes the code libusb's synchronous calls would
// give, which a driver sorts with errors.Is.
func TestStatusErr(t *testing.T) {
	for _, c := range []struct {
		status int // enum libusb_transfer_status (libusb.h)
		code   usb.Code
	}{
		{2, usb.CodeTimeout},  // LIBUSB_TRANSFER_TIMED_OUT
		{3, usb.CodeTimeout},  // LIBUSB_TRANSFER_CANCELLED
		{4, usb.CodePipe},     // LIBUSB_TRANSFER_STALL
		{5, usb.CodeNoDevice}, // LIBUSB_TRANSFER_NO_DEVICE
		{6, usb.CodeOverflow}, // LIBUSB_TRANSFER_OVERFLOW
		{1, usb.CodeIO},       // LIBUSB_TRANSFER_ERROR
	} {
		if err := statusErr(c.status); err != c.code {
			t.Errorf("status %d: %v, want %v", c.status, err, c.code)
		}
	}
	if err := statusErr(0); err != nil {
		t.Errorf("completed: %v", err)
	}
	if !errors.Is(statusErr(5), usb.ErrGone) {
		t.Error("no device is not gone")
	}
	if !errors.Is(statusErr(4), usb.ErrStall) {
		t.Error("a stall is not a stall")
	}
}

// A timeout rounds up to libusb's milliseconds, never to 0 (none).
func TestMillis(t *testing.T) {
	for d, want := range map[time.Duration]int64{0: 1, time.Microsecond: 1, time.Millisecond: 1,
		1500 * time.Microsecond: 2, 5 * time.Second: 5000} {
		if got := millis(d); got != want {
			t.Errorf("millis(%v) = %d, want %d", d, got, want)
		}
	}
}

// Without USB (no usbfs, as on this project's build hosts and in
// containers), NewBus fails or lists nothing; it does not crash.
func TestNewBus(t *testing.T) {
	b, err := NewBus()
	if err != nil {
		t.Logf("NewBus: %v", err)
		if _, statErr := os.Stat("/dev/bus/usb"); statErr == nil {
			t.Errorf("NewBus failed with /dev/bus/usb present: %v", err)
		}
		return
	}
	defer b.Close()
	cands, err := b.Devices()
	if err != nil {
		t.Fatalf("Devices: %v", err)
	}
	t.Logf("%d devices", len(cands))
}

// Version is libusb's, in NUT's words.
func TestVersion(t *testing.T) {
	if v := Version(); !regexp.MustCompile(`^libusb-1\.0\.\d+ \(API: 0x[0-9a-f]+\)$`).MatchString(v) {
		t.Errorf("Version() = %q, want libusb-1.0.N (API: 0x...)", v)
	}
}
