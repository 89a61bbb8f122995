package replay_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"gonut/drivers/usb"
	"gonut/drivers/usb/replay"
)

var reportDesc = []byte{0x05, 0x84, 0x09, 0x04, 0xa1, 0x01, 0x85, 0x01, 0x75, 0x08, 0xc0}

func devices() []*replay.Device {
	kb := &replay.Device{Bus: 1, Address: 2, Port: 1, VendorID: 0x046d, ProductID: 0xc31c, Manufacturer: "Logitech"}
	ups := &replay.Device{Bus: 2, Address: 3, Port: 1, VendorID: 0x0463, ProductID: 0xffff, Release: 0x0100,
		Manufacturer: "EATON", Product: "5E", Serial: "G201H29023", ReportDescriptor: reportDesc}
	ups.Report(usb.Feature, 0x0c, []byte{0x0c, 100})
	ups.Interrupt(replay.Answer{Data: []byte{0x01, 0x0b}}, replay.Answer{Err: usb.CodeTimeout})
	return []*replay.Device{kb, ups}
}

// session is what a driver does: open, read, write, listen. It returns a
// description of everything it got.
func session(t *testing.T, bus usb.Bus) string {
	t.Helper()
	ctx := context.Background()
	m, err := usb.NewMatcher(func(k string) (string, bool) { return "0463", k == "vendorid" })
	if err != nil {
		t.Fatal(err)
	}
	c, err := usb.Open(ctx, bus, usb.Selector{Matcher: m, Accept: func(usb.Identity, []byte) error { return nil }})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var b strings.Builder
	fmt.Fprintf(&b, "%+v\n% x\n", c.Identity(), c.ReportDescriptor())
	buf := make([]byte, 8)
	n, err := c.GetReport(ctx, usb.Feature, 0x0c, buf)
	fmt.Fprintf(&b, "feature 0x0c: % x %v\n", buf[:n], err)
	n, err = c.GetReport(ctx, usb.Feature, 0x0d, buf)
	fmt.Fprintf(&b, "feature 0x0d: % x stall=%v\n", buf[:n], errors.Is(err, usb.ErrStall))
	n, err = c.SetReport(ctx, usb.Feature, 0x0f, []byte{0x0f, 20})
	fmt.Fprintf(&b, "set 0x0f: %d %v\n", n, err)
	n, err = c.Interrupt(ctx, buf, time.Second)
	fmt.Fprintf(&b, "interrupt: % x %v\n", buf[:n], err)
	_, err = c.Interrupt(ctx, buf, time.Second)
	fmt.Fprintf(&b, "interrupt: timeout=%v\n", errors.Is(err, usb.ErrTimeout))
	return b.String()
}

// What a driver got from devices is what it gets from the transcript of
// that session played back.
func TestRecordAndLoad(t *testing.T) {
	var transcript bytes.Buffer
	live := session(t, replay.Record(replay.NewBus(devices()...), &transcript))
	for _, line := range []string{
		"device 001:002 port=1 id=046d:c31c",
		"device 002:003 port=1 id=0463:ffff",
		"control 80 06 0100 0000 18 < 12 01 00 02 00 00 00 40 63 04 ff ff 00 01 01 02 03 01",
		"claim 1 0 ok",
		"control a1 01 030c 0000 8 < 0c 64",
		"control a1 01 030d 0000 8 ! pipe",
		"control 21 09 030f 0000 2 > 0f 14",
		"interrupt 81 8 < 01 0b",
		"interrupt 81 8 ! timeout",
	} {
		if !strings.Contains(transcript.String(), line+"\n") {
			t.Errorf("no line %q in the transcript:\n%s", line, transcript.String())
		}
	}
	bus, err := replay.Load(strings.NewReader(transcript.String()), "session.usb")
	if err != nil {
		t.Fatal(err)
	}
	if played := session(t, bus); played != live {
		t.Errorf("played back:\n%s\nlive:\n%s", played, live)
	}
	if !strings.Contains(live, "feature 0x0c: 0c 64 <nil>") || !strings.Contains(live, "interrupt: 01 0b <nil>") {
		t.Errorf("live session:\n%s", live)
	}
}

func TestLoadErrors(t *testing.T) {
	for _, c := range []struct{ text, says string }{
		{"control 80 06 0100 0000 18 < 12", "t.usb:1: \"control\" before any device line"},
		{"device 1:2 port=0 id=0463:ffff\ncontrol 80 06 0100 0000 18 < 1", "t.usb:2: bad data"},
		{"# x\ndevice 1:2 port=0 id=0463:ffff\ncontrol 80 06 zz 0000 18 < 12", "t.usb:3: bad setup field \"zz\""},
		{"device 1:2 port=0 id=0463:ffff\nclaim 1 0 ! later", "t.usb:2: unknown error \"later\""},
		{"device 1:2 port=0\n", "t.usb:1: 3 words"},
		{"device 1:2 port=0 id=0463:ffff\nbulk 02 8 < 00", "t.usb:2: unknown line \"bulk\""},
	} {
		_, err := replay.Load(strings.NewReader(c.text), "t.usb")
		if err == nil || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%q: %v, want %q", c.text, err, c.says)
		}
	}
}

func FuzzLoad(f *testing.F) {
	f.Add("device 002:003 port=1 id=0463:ffff\ncontrol 80 06 0100 0000 18 < 12 01\nclaim 1 0 ok\ninterrupt 81 8 ! timeout\n")
	f.Fuzz(func(t *testing.T, text string) {
		bus, err := replay.Load(strings.NewReader(text), "fuzz.usb")
		if err != nil {
			return
		}
		cands, _ := bus.Devices()
		for _, c := range cands {
			h, err := bus.Open(c)
			if err != nil {
				continue
			}
			h.Control(0x80, 0x06, 0x0100, 0, make([]byte, 18), time.Second)
			h.Claim(1, 0)
			ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
			h.Interrupt(ctx, 0x81, make([]byte, 8))
			cancel()
		}
	})
}
