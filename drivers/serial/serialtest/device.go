package serialtest

import (
	"bufio"
	"bytes"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// A Device answers on a PTY's master end as a device would: it splits
// what the driver sends into requests (split, such as ScanCR, or
// bufio.ScanBytes for a protocol of single characters) and writes what
// answer returns for each ("" for nothing). It records every request.
type Device struct {
	pty    *PTY
	answer func(req string) string
	mu     sync.Mutex
	reqs   []string
	cond   chan struct{} // closed and replaced at each request
	done   chan struct{}
}

// Serve starts a Device on p until the test ends.
func Serve(t testing.TB, p *PTY, split bufio.SplitFunc, answer func(req string) string) *Device {
	d := ServePTY(p, split, answer)
	t.Cleanup(func() { p.Close(); <-d.done })
	return d
}

// ServePTY is Serve outside tests: the Device stops when p is closed.
func ServePTY(p *PTY, split bufio.SplitFunc, answer func(req string) string) *Device {
	d := &Device{pty: p, answer: answer, cond: make(chan struct{}), done: make(chan struct{})}
	go d.run(split)
	return d
}

func (d *Device) run(split bufio.SplitFunc) {
	defer close(d.done)
	sc := bufio.NewScanner(d.pty.Master)
	sc.Buffer(make([]byte, 4096), 1<<16)
	sc.Split(split)
	for sc.Scan() {
		req := sc.Text()
		d.mu.Lock()
		d.reqs = append(d.reqs, req)
		close(d.cond)
		d.cond = make(chan struct{})
		d.mu.Unlock()
		if a := d.answer(req); a != "" {
			if _, err := d.pty.Master.Write([]byte(a)); err != nil {
				return
			}
		}
	}
}

// Requests is every request so far, in order.
func (d *Device) Requests() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.reqs)
}

// WaitFor waits until a request that ok accepts arrives after the first
// `from` requests, and returns its index; -1 after timeout.
func (d *Device) WaitFor(from int, timeout time.Duration, ok func(string) bool) int {
	deadline := time.After(timeout)
	for {
		d.mu.Lock()
		for i := from; i < len(d.reqs); i++ {
			if ok(d.reqs[i]) {
				d.mu.Unlock()
				return i
			}
		}
		c := d.cond
		d.mu.Unlock()
		select {
		case <-c:
		case <-deadline:
			return -1
		}
	}
}

// Write sends bytes unasked (an alert, line noise).
func (d *Device) Write(b []byte) error {
	_, err := d.pty.Master.Write(b)
	return err
}

// ScanCR splits requests ending in a carriage return, keeping it: the
// Q1/Megatec family's framing.
func ScanCR(data []byte, atEOF bool) (int, []byte, error) {
	if i := bytes.IndexByte(data, '\r'); i >= 0 {
		return i + 1, data[:i+1], nil
	}
	if atEOF && len(data) > 0 {
		return len(data), data, nil
	}
	return 0, nil, nil
}

// Printable shows a request with its control characters escaped, for
// messages.
func Printable(s string) string {
	return strings.NewReplacer("\r", `\r`, "\n", `\n`).Replace(s)
}
