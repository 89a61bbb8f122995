package serial

import (
	"fmt"
	"strings"
	"sync"
	"time"
)

// Step is one exchange of a recorded conversation: what the driver sends,
// and what the device answers ("" for silence).
type Step struct {
	Send, Reply string
}

// Replay is a Port that plays a recorded conversation: each Write must be
// the next step's Send (a request may come in several writes), and its
// Reply is then what reads return. Reads never wait: with nothing left
// to read they time out at once. Safe for concurrent use.
type Replay struct {
	mu      sync.Mutex
	steps   []Step
	pending strings.Builder // bytes of the current step written so far
	unread  string
	sent    []string
	err     error
	closed  bool
}

// NewReplay returns a Replay of steps, in order.
func NewReplay(steps ...Step) *Replay { return &Replay{steps: steps} }

func (r *Replay) Write(b []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return 0, fmt.Errorf("replay: write after close")
	}
	r.pending.Write(b)
	got := r.pending.String()
	if len(r.steps) == 0 {
		r.fail(fmt.Errorf("replay: %q written after the conversation ended", got))
		return 0, r.err
	}
	want := r.steps[0].Send
	switch {
	case got == want:
		r.unread += r.steps[0].Reply
		r.sent = append(r.sent, got)
		r.steps = r.steps[1:]
		r.pending.Reset()
	case !strings.HasPrefix(want, got):
		r.fail(fmt.Errorf("replay: driver sent %q, the recording has %q", got, want))
		return 0, r.err
	}
	return len(b), nil
}

func (r *Replay) fail(err error) {
	if r.err == nil {
		r.err = err
	}
}

func (r *Replay) ReadTimeout(b []byte, _ time.Duration) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.unread == "" {
		return 0, ErrTimeout
	}
	n := copy(b, r.unread)
	r.unread = r.unread[n:]
	return n, nil
}

// Flush drops what the device said and was not read.
func (r *Replay) Flush() error {
	r.mu.Lock()
	r.unread = ""
	r.mu.Unlock()
	return nil
}

func (r *Replay) SetDTR(bool) error { return nil }
func (r *Replay) SetRTS(bool) error { return nil }

func (r *Replay) Close() error {
	r.mu.Lock()
	r.closed = true
	r.mu.Unlock()
	return nil
}

// Sent is every request the driver completed, in order.
func (r *Replay) Sent() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.sent...)
}

// Err is the first departure from the recording; Left is how many steps
// were never reached.
func (r *Replay) Err() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.err
}

func (r *Replay) Left() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.steps)
}
