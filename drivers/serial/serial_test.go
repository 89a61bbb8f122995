package serial_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"gonut/drivers/serial"
	"gonut/drivers/serial/serialtest"
)

// A request goes over a real line (a PTY) and its answer comes back up to
// the end character; what follows it is not part of the answer.
func TestPortOverPTY(t *testing.T) {
	pty := serialtest.Open(t)
	dev := serialtest.Serve(t, pty, serialtest.ScanCR, func(req string) string {
		if req == "Q1\r" {
			return "(230.0 230.0 230.0 010 50.0 13.6 25.0 00001000\rjunk"
		}
		return ""
	})
	p, err := serial.Open(pty.Path, serial.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if _, err := p.Write([]byte("Q1\r")); err != nil {
		t.Fatal(err)
	}
	got, err := serial.ReadUntil(p, "\r", 128, 3*time.Second, time.Now)
	if err != nil || string(got) != "(230.0 230.0 230.0 010 50.0 13.6 25.0 00001000\r" {
		t.Fatalf("ReadUntil = %q, %v", got, err)
	}
	if got := dev.Requests(); len(got) != 1 || got[0] != "Q1\r" {
		t.Fatalf("the device saw %q", got)
	}
	// Silence: nothing but the junk after the answer, then a timeout.
	p.Flush()
	if _, err := p.Write([]byte("X\r")); err != nil {
		t.Fatal(err)
	}
	got, err = serial.ReadUntil(p, "\r", 128, 200*time.Millisecond, time.Now)
	if !errors.Is(err, serial.ErrTimeout) || len(got) != 0 {
		t.Fatalf("silence: ReadUntil = %q, %v", got, err)
	}
}

// A partial answer comes back with ErrTimeout, so that a driver can say
// it was cut.
func TestPartialAnswer(t *testing.T) {
	pty := serialtest.Open(t)
	serialtest.Serve(t, pty, serialtest.ScanCR, func(string) string { return "(230.0 23" })
	p, err := serial.Open(pty.Path, serial.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	p.Write([]byte("Q1\r"))
	got, err := serial.ReadUntil(p, "\r", 128, 300*time.Millisecond, time.Now)
	if !errors.Is(err, serial.ErrTimeout) || string(got) != "(230.0 23" {
		t.Fatalf("ReadUntil = %q, %v", got, err)
	}
}

// A second driver on the same port fails at once, naming the port, as
// NUT's drivers do; nolock lets it open.
func TestLock(t *testing.T) {
	pty := serialtest.Open(t)
	p, err := serial.Open(pty.Path, serial.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	_, err = serial.Open(pty.Path, serial.Options{})
	if err == nil || !strings.Contains(err.Error(), pty.Path) || !strings.Contains(err.Error(), "locked") {
		t.Fatalf("second open: %v", err)
	}
	q, err := serial.Open(pty.Path, serial.Options{NoLock: true})
	if err != nil {
		t.Fatalf("nolock: %v", err)
	}
	q.Close()
	// A PTY has no modem-control lines, and says so.
	if err := p.SetDTR(true); !errors.Is(err, serial.ErrNoModemLines) {
		t.Fatalf("SetDTR on a PTY: %v", err)
	}
}

func TestOpenMissing(t *testing.T) {
	_, err := serial.Open("/dev/nonexistent-tty", serial.Options{})
	if err == nil || !strings.Contains(err.Error(), "/dev/nonexistent-tty") {
		t.Fatalf("Open = %v", err)
	}
}

// Replay plays a recording back and reports where the driver departs
// from it.
func TestReplay(t *testing.T) {
	r := serial.NewReplay(serial.Step{Send: "Q1\r", Reply: "(1 2\r"}, serial.Step{Send: "F\r"})
	r.Write([]byte("Q"))
	r.Write([]byte("1\r"))
	got, err := serial.ReadUntil(r, "\r", 64, time.Second, time.Now)
	if err != nil || string(got) != "(1 2\r" {
		t.Fatalf("ReadUntil = %q, %v", got, err)
	}
	if _, err := serial.ReadUntil(r, "\r", 64, time.Second, time.Now); !errors.Is(err, serial.ErrTimeout) {
		t.Fatalf("nothing left: %v", err)
	}
	if _, err := r.Write([]byte("I\r")); err == nil || r.Err() == nil || r.Left() != 1 {
		t.Fatalf("departure not reported: %v, left %d", r.Err(), r.Left())
	}
	if s := r.Sent(); len(s) != 1 || s[0] != "Q1\r" {
		t.Fatalf("Sent = %q", s)
	}
}
