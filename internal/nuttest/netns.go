package nuttest

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// Hosts are two network namespaces joined by a veth pair, as two hosts
// on one network: run a program in one with In.
type Hosts struct {
	A, B         string // the namespaces' names
	AddrA, AddrB string // their IPv4 addresses
}

// TwoHosts makes two network namespaces joined by a veth pair (10.231.N.1
// and .2), removed when the test ends. It skips the test without root or
// iproute2.
func TwoHosts(t testing.TB) *Hosts {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("two network namespaces need root")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		t.Skip("two network namespaces need iproute2's ip")
	}
	n := os.Getpid() % 250
	h := &Hosts{A: fmt.Sprintf("gonut-a%d", os.Getpid()), B: fmt.Sprintf("gonut-b%d", os.Getpid()),
		AddrA: fmt.Sprintf("10.231.%d.1", n), AddrB: fmt.Sprintf("10.231.%d.2", n)}
	ip := func(args ...string) {
		t.Helper()
		if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
			t.Fatalf("ip %s: %v: %s", strings.Join(args, " "), err, out)
		}
	}
	ip("netns", "add", h.A)
	t.Cleanup(func() { exec.Command("ip", "netns", "del", h.A).Run() })
	ip("netns", "add", h.B)
	t.Cleanup(func() { exec.Command("ip", "netns", "del", h.B).Run() })
	va, vb := fmt.Sprintf("gva%d", os.Getpid()), fmt.Sprintf("gvb%d", os.Getpid())
	ip("link", "add", va, "netns", h.A, "type", "veth", "peer", "name", vb, "netns", h.B)
	for _, x := range []struct{ ns, dev, addr string }{{h.A, va, h.AddrA}, {h.B, vb, h.AddrB}} {
		ip("-n", x.ns, "addr", "add", x.addr+"/24", "dev", x.dev)
		ip("-n", x.ns, "link", "set", x.dev, "up")
		ip("-n", x.ns, "link", "set", "lo", "up")
	}
	return h
}

// In returns the arguments of ip that run bin with args in namespace ns.
func (h *Hosts) In(ns, bin string, args ...string) []string {
	return append([]string{"netns", "exec", ns, bin}, args...)
}
