package apcsmart_test

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"gonut/drivers/apcsmart"
	"gonut/drivers/apcsmart/apcsim"
	"gonut/drivers/core"
	"gonut/drivers/serial"
	"gonut/drivers/serial/serialtest"
	"gonut/internal/plainlog"
	"gonut/nutenv"
)

// simPTY starts a simulated Smart-UPS on a fresh PTY.
// A model, if given, replaces the Smart-UPS 1500.
func simPTY(t testing.TB, model ...apcsim.Model) (*serialtest.PTY, *apcsim.UPS) {
	t.Helper()
	p, err := serialtest.OpenPTY()
	if err != nil {
		t.Skipf("no PTY here: %v", err)
	}
	m := apcsim.Model{}
	if len(model) > 0 {
		m = model[0]
	}
	u := apcsim.NewModel(p.Master, m)
	t.Cleanup(func() { p.Close(); <-u.Done() })
	return p, u
}

// syncBuffer is a log the test reads while the driver writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	os.Stderr.Write(p)
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// run runs our apcsmart in this process on section [t] of a ups.conf
// with port = the PTY and extra lines; it serves its socket in dir.
type run struct {
	dir  string
	vars nutenv.Env
	log  *syncBuffer
	done chan error
}

func runDriver(t *testing.T, port, extra string, args core.Args) *run {
	t.Helper()
	dir := t.TempDir()
	conf := "[t]\n\tdriver = apcsmart\n\tport = " + port + "\n" + extra
	if err := os.WriteFile(filepath.Join(dir, "ups.conf"), []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	r := &run{dir: dir, log: &syncBuffer{}, done: make(chan error, 1),
		vars: func(k string) string {
			switch k {
			case "NUT_CONFPATH", "NUT_STATEPATH":
				return dir
			}
			return ""
		}}
	args.UPS = "t"
	d := apcsmart.New(serial.Open, time.Now)
	go func() {
		r.done <- core.Run(context.Background(), d, args,
			core.Env{Vars: r.vars, Clock: core.RealClock(), Stdout: os.Stdout, Log: plainlog.New(r.log, slog.LevelDebug)})
	}()
	if args.DumpAfter == 0 && !args.Kill {
		t.Cleanup(func() {
			core.SendCommand(r.vars, "apcsmart", "t", "exit", 0)
			select {
			case <-r.done:
			case <-time.After(15 * time.Second):
				t.Error("driver did not exit")
			}
		})
	}
	return r
}
