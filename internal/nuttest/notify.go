package nuttest

import (
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A Notify is a service manager's sd_notify socket: a test points a
// daemon's NOTIFY_SOCKET at Path and reads what it says.
type Notify struct {
	Path string
	msgs chan string
}

// NotifySocket listens where a service manager would for sd_notify
// messages, in the test's temporary directory, until the test ends.
func NotifySocket(t *testing.T) *Notify {
	t.Helper()
	path := filepath.Join(t.TempDir(), "notify")
	c, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	n := &Notify{Path: path, msgs: make(chan string, 256)}
	go func() {
		buf := make([]byte, 4096)
		for {
			k, err := c.Read(buf)
			if err != nil {
				return
			}
			n.msgs <- string(buf[:k])
		}
	}()
	return n
}

// UpTo returns the messages received since the last call, up to the first
// that holds want (the last one returned). It fails the test if none
// comes within 20 seconds.
func (n *Notify) UpTo(t *testing.T, want string) []string {
	t.Helper()
	var got []string
	deadline := time.After(20 * time.Second)
	for {
		select {
		case m := <-n.msgs:
			got = append(got, m)
			if strings.Contains(m, want) {
				return got
			}
		case <-deadline:
			t.Fatalf("no sd_notify message with %q; got %q", want, got)
		}
	}
}
