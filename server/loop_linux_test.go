package server

import (
	"bufio"
	"net"
	"strings"
	"testing"
	"time"
)

// A loop with nothing to do parks in Go's netpoller: requests that come
// after it did, from a connected client or a new one, are answered.
func TestLoopWakesFromPark(t *testing.T) {
	addr := serveOn(t, testServer(t), false)
	ask := func(c net.Conn, r *bufio.Reader, line string) string {
		c.SetDeadline(time.Now().Add(2 * time.Second))
		c.Write([]byte(line + "\n"))
		answer, err := r.ReadString('\n')
		if err != nil {
			return err.Error()
		}
		return strings.TrimSuffix(answer, "\n")
	}
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	r := bufio.NewReader(c)
	for i := range 3 {
		time.Sleep(5 * idleAfter)
		if got := ask(c, r, "GET VAR u ups.status"); got != `VAR u ups.status "OL"` {
			t.Fatalf("request %d after a pause: %q", i, got)
		}
		time.Sleep(5 * idleAfter)
		other, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		got := ask(other, bufio.NewReader(other), "NETVER")
		other.Close()
		if got != NetVersion {
			t.Fatalf("new client %d after a pause: %q", i, got)
		}
	}
}
