package server

import (
	"bufio"
	"net"
	"testing"
)

// BenchmarkGetVar is one client asking GET VAR over a real loopback TCP
// connection, request after answer, as upsc and upsmon do. Profile the
// request path with -cpuprofile; bench/upsdbench compares whole servers.
func BenchmarkGetVar(b *testing.B) {
	s := testServer(b)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	go s.Serve(l)
	c, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	r := bufio.NewReader(c)
	req := []byte("GET VAR u ups.status\n")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := c.Write(req); err != nil {
			b.Fatal(err)
		}
		if a, err := r.ReadString('\n'); err != nil || a != "VAR u ups.status \"OL\"\n" {
			b.Fatalf("answer %q: %v", a, err)
		}
	}
}
