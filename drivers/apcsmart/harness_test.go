package apcsmart_test

import (
	"bytes"
	"os"
	"sync"
	"testing"

	"gonut/drivers/apcsmart/apcsim"
	"gonut/drivers/serial/serialtest"
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
