//go:build cgo

package libusb

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"testing"

	"github.com/google/gousb"

	"gonut/drivers/usb"
)

// gousb's errors, typed or wrapped with %v, become the codes a driver
// sorts with errors.Is.
func TestCodeOf(t *testing.T) {
	for _, c := range []struct {
		err  error
		code usb.Code
	}{
		{gousb.ErrorNoDevice, usb.CodeNoDevice},
		{gousb.ErrorBusy, usb.CodeBusy},
		{gousb.ErrorAccess, usb.CodeAccess},
		{gousb.ErrorPipe, usb.CodePipe},
		{gousb.ErrorTimeout, usb.CodeTimeout},
		{gousb.ErrorIO, usb.CodeIO},
		{gousb.TransferStall, usb.CodePipe},
		{gousb.TransferNoDevice, usb.CodeNoDevice},
		{gousb.TransferTimedOut, usb.CodeTimeout},
		{gousb.TransferOverflow, usb.CodeOverflow},
		{gousb.TransferError, usb.CodeIO},
		// As gousb's Config.Interface and Device.Config wrap them.
		{fmt.Errorf("failed to claim interface 0 on vid=0463,pid=ffff,bus=2,addr=3,config=1: %v", gousb.ErrorBusy), usb.CodeBusy},
		{fmt.Errorf("Can't detach kernel driver of the device x and interface 0: %v", gousb.ErrorAccess), usb.CodeAccess},
		{fmt.Errorf("wrapped: %w", gousb.ErrorNoDevice), usb.CodeNoDevice},
	} {
		err := codeOf(c.err)
		var got usb.Code
		if !errors.As(err, &got) || got != c.code {
			t.Errorf("%v: %v, want %v", c.err, err, c.code)
		}
	}
	if got := codeOf(gousb.ErrorNoDevice); !errors.Is(got, usb.ErrGone) {
		t.Errorf("no device is not gone: %v", got)
	}
	if got := codeOf(gousb.TransferStall); !errors.Is(got, usb.ErrStall) {
		t.Errorf("stall: %v", got)
	}
	plain := errors.New("something else")
	if got := codeOf(plain); got != plain {
		t.Errorf("%v", got)
	}
}

// gousb is told that every interface is the one claimed, so it detaches
// the kernel's driver from that one only, and finds it where it looks.
func TestOnlyInterface(t *testing.T) {
	hid := gousb.InterfaceDesc{Number: 2, AltSettings: []gousb.InterfaceSetting{{Number: 2, Class: gousb.ClassHID}}}
	desc := gousb.ConfigDesc{Number: 1, Interfaces: []gousb.InterfaceDesc{
		{Number: 0, AltSettings: []gousb.InterfaceSetting{{Number: 0, Class: gousb.ClassComm}}},
		{Number: 1, AltSettings: []gousb.InterfaceSetting{{Number: 1, Class: gousb.ClassData}}},
		hid,
	}}
	only, err := onlyInterface(desc, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(only.Interfaces) != 3 {
		t.Fatalf("%d interfaces", len(only.Interfaces))
	}
	for i, d := range only.Interfaces {
		if d.Number != 2 || d.AltSettings[0].Class != gousb.ClassHID {
			t.Errorf("interface %d: %+v", i, d)
		}
	}
	if desc.Interfaces[0].Number != 0 {
		t.Error("the device's own description changed")
	}
	// Interface numbers beyond the count (gousb indexes by number).
	sparse := gousb.ConfigDesc{Number: 1, Interfaces: []gousb.InterfaceDesc{hid}}
	if only, err := onlyInterface(sparse, 2); err != nil || len(only.Interfaces) != 3 {
		t.Errorf("sparse: %+v, %v", only, err)
	}
	if _, err := onlyInterface(desc, 5); !errors.Is(err, usb.CodeNotFound) {
		t.Errorf("missing interface: %v", err)
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
