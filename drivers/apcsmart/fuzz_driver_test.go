package apcsmart_test

import (
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"gonut/drivers/apcsmart"
	"gonut/drivers/core"
	"gonut/drivers/serial"
)

// scripted is a UPS that answers Y with SM and every other character
// with the next of its lines (NA once they run out), at once.
type scripted struct {
	mu     sync.Mutex
	lines  []string
	out    chan []byte
	closed chan struct{}
	once   sync.Once
}

func (s *scripted) Write(b []byte) (int, error) {
	for _, c := range b {
		a := "NA"
		s.mu.Lock()
		switch {
		case c == 'Y':
			a = "SM"
		case len(s.lines) > 0:
			a, s.lines = s.lines[0], s.lines[1:]
		}
		s.mu.Unlock()
		select {
		case s.out <- []byte(a + "\r\n"):
		case <-s.closed:
			return 0, io.ErrClosedPipe
		}
	}
	return len(b), nil
}

func (s *scripted) ReadTimeout(b []byte, d time.Duration) (int, error) {
	select {
	case a := <-s.out:
		return copy(b, a), nil
	case <-s.closed:
		return 0, io.EOF
	case <-time.After(d):
		return 0, serial.ErrTimeout
	}
}

func (s *scripted) Flush() error      { return nil }
func (s *scripted) SetDTR(bool) error { return nil }
func (s *scripted) SetRTS(bool) error { return nil }
func (s *scripted) Close() error      { s.once.Do(func() { close(s.closed) }); return nil }

// Whatever a UPS answers to discovery and a poll, the driver neither
// panics nor hangs, and what it publishes is what upsd can carry.
func FuzzDriverAnswers(f *testing.F) {
	f.Add("GWI\n601.3.I\n" + "3.!$%+?=#|.\x01\x1aBCfjT\n" + "SMART-UPS\n27.87\n036.0\n100.0\n0112:\n096.0\n601.3.I\n#uI43253264271280\n08")
	f.Add("6QD\nNA\n")
	f.Add("NA\nNA\n3.x.HT{\n1,2,,3,4,5\n12.34\n")
	f.Fuzz(func(t *testing.T, script string) {
		port := &scripted{lines: strings.Split(script, "\n"), out: make(chan []byte, 1), closed: make(chan struct{})}
		open := func(string, serial.Options) (serial.Port, error) { return port, nil }
		var out strings.Builder
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		err := core.Run(ctx, apcsmart.New(open, time.Now), core.Args{UPS: "f", Direct: true, DumpAfter: 1,
			Settings: []core.Setting{{Key: "port", Value: "fuzz"}}},
			core.Env{Vars: func(string) string { return "" }, Stdout: &out})
		if ctx.Err() != nil {
			t.Fatalf("the driver hung on %q", script)
		}
		if err == nil && !strings.Contains(out.String(), "ups.mfr: APC\n") {
			t.Errorf("a driver that started dumps no ups.mfr:\n%s", out.String())
		}
	})
}
