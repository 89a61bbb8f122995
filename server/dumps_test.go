package server

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"gonut/config"
	"gonut/nutenv"
)

// upsd does not wait for a repeater's dump before serving (a repeater of
// this very upsd has nothing to send until upsd serves), nor for a driver
// it cannot reach.
func TestWaitForDumpsSkipsRepeatersAndAbsentDrivers(t *testing.T) {
	upsConf, _ := config.ParseUPSConf("ups.conf", strings.NewReader("[u]\ndriver = dummy-ups\nport = u.dev\n[r]\ndriver = dummy-ups\nport = u@localhost\n"))
	conf, _ := config.ParseUpsdConf("upsd.conf", strings.NewReader(""))
	s := New(upsConf, conf, nil, nutenv.Env(func(string) string { return "" }), slog.New(slog.NewTextHandler(io.Discard, nil)))
	s.find("u").dumped = true
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s.WaitForDumps(ctx, time.Hour)
	if ctx.Err() != nil {
		t.Fatal("upsd waited for a repeater's dump")
	}
	// Nor for a driver that cannot be reached.
	s.find("u").dumped, s.find("u").unreached = false, true
	ctx1, cancel1 := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel1()
	s.WaitForDumps(ctx1, time.Hour)
	if ctx1.Err() != nil {
		t.Fatal("upsd waited for a driver it cannot reach")
	}
	// A device's driver is waited for.
	s.find("u").unreached = false
	ctx2, cancel2 := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel2()
	s.find("u").dumped = false
	s.WaitForDumps(ctx2, time.Hour)
	if ctx2.Err() == nil {
		t.Fatal("upsd did not wait for a device's dump")
	}
}
