package sockserver

import (
	"bufio"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gonut/drivers/sockproto"
	"gonut/state"
)

func start(t *testing.T, h Handler, maxQueue int) (*state.Tree, *Server, string) {
	t.Helper()
	tree := state.New()
	if h == nil {
		h = func(sockproto.Request) sockproto.Result { return sockproto.Handled }
	}
	srv := New(tree, h, nil)
	if maxQueue > 0 {
		srv.MaxQueue = maxQueue
	}
	path := filepath.Join(t.TempDir(), "dummy-ups-test")
	l, err := Listen(path)
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	t.Cleanup(func() { l.Close(); srv.Close() })
	return tree, srv, path
}

type client struct {
	t *testing.T
	c net.Conn
	r *bufio.Reader
}

func dial(t *testing.T, path string) *client {
	t.Helper()
	c, err := net.Dial("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &client{t, c, bufio.NewReader(c)}
}

func (c *client) send(s string) {
	c.t.Helper()
	if _, err := c.c.Write([]byte(s + "\n")); err != nil {
		c.t.Fatal(err)
	}
}

func (c *client) line() string {
	c.t.Helper()
	c.c.SetReadDeadline(time.Now().Add(5 * time.Second))
	l, err := c.r.ReadString('\n')
	if err != nil {
		c.t.Fatalf("reading: %v", err)
	}
	return strings.TrimSuffix(l, "\n")
}

func (c *client) until(last string) []string {
	var got []string
	for {
		l := c.line()
		got = append(got, l)
		if l == last {
			return got
		}
	}
}

func TestDumpPingBroadcast(t *testing.T) {
	tree, _, path := start(t, nil, 0)
	tree.Set("ups.status", "OL")
	tree.AddCmd("load.off")
	tree.DataOK()

	c := dial(t, path)
	c.send("DUMPALL")
	got := strings.Join(c.until("DUMPDONE"), "|")
	if got != `SETINFO ups.status "OL"|ADDCMD load.off|DATAOK|DUMPDONE` {
		t.Fatalf("dump: %s", got)
	}
	c.send("PING")
	if l := c.line(); l != "PONG" {
		t.Fatalf("PING answered %q", l)
	}
	tree.Set("ups.status", "OB LB")
	if l := c.line(); l != `SETINFO ups.status "OB LB"` {
		t.Fatalf("broadcast %q", l)
	}

	// A connection that asked for no broadcasts gets only answers.
	q := dial(t, path)
	q.send("NOBROADCAST")
	q.send("PING") // NOBROADCAST is in effect once PING is answered
	if l := q.line(); l != "PONG" {
		t.Fatalf("PING after NOBROADCAST answered %q", l)
	}
	tree.Set("ups.status", "OL")
	q.send("PING")
	if l := q.line(); l != "PONG" {
		t.Fatalf("NOBROADCAST connection got %q", l)
	}
	if l := c.line(); l != `SETINFO ups.status "OL"` {
		t.Fatalf("broadcast %q", l)
	}

	// Garbage is logged and ignored; the connection keeps working.
	c.send("\x00\xff garbage \"unterminated # x")
	c.send("FOO bar")
	c.send("GETPID")
	if l := c.line(); !strings.HasPrefix(l, "PID ") {
		t.Fatalf("GETPID answered %q", l)
	}
	c.send("LOGOUT")
	if l := c.line(); l != "OK Goodbye" {
		t.Fatalf("LOGOUT answered %q", l)
	}
}

func TestTracking(t *testing.T) {
	var calls []sockproto.Request
	_, _, path := start(t, func(r sockproto.Request) sockproto.Result {
		calls = append(calls, r)
		if r.Name == "bad" {
			return sockproto.Invalid
		}
		return sockproto.Handled
	}, 0)
	c := dial(t, path)
	c.send(`SET ups.id "Data room" TRACKING abc`)
	if l := c.line(); l != "TRACKING abc 0" {
		t.Fatalf("got %q", l)
	}
	c.send(`INSTCMD bad 5 TRACKING def`)
	if l := c.line(); l != "TRACKING def 2" {
		t.Fatalf("got %q", l)
	}
	c.send(`INSTCMD load.off`) // no tracking: no answer
	c.send("PING")
	if l := c.line(); l != "PONG" {
		t.Fatalf("got %q", l)
	}
	if len(calls) != 3 || calls[0].Value != "Data room" || calls[1].Value != "5" {
		t.Fatalf("calls %+v", calls)
	}
}

// A reader that never reads is dropped once its queue is full, and the
// driver's changes never wait for it.
func TestSlowReaderIsDropped(t *testing.T) {
	tree, srv, path := start(t, nil, 64<<10)
	slow, err := net.Dial("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	fast := dial(t, path)
	fast.send("PING")
	fast.line()

	// Bursts of changes that fit the queue: the fast reader keeps up
	// between bursts, the slow one never reads and falls behind.
	big := strings.Repeat("x", 400)
	for burst := 0; burst < 200; burst++ {
		for i := 0; i < 100; i++ {
			tree.Set("ups.test", big+string(rune('a'+i%2)))
		}
		for i := 0; i < 100; i++ {
			fast.line()
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for srv.Conns() != 1 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := srv.Conns(); n != 1 {
		t.Fatalf("%d connections left, want only the fast one", n)
	}
}

func TestListenRefusesLiveSocket(t *testing.T) {
	_, _, path := start(t, nil, 0)
	if _, err := Listen(path); err == nil || !strings.Contains(err.Error(), "already") {
		t.Fatalf("second Listen on a live socket: %v", err)
	}
}
