package snmp_test

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gosnmp/gosnmp"

	"gonut/internal/nuttest"
	"gonut/internal/snmpsim"
)

// Modes of the proxy between a driver and the agent.
const (
	pass    int32 = iota // forward both ways
	drop                 // answer nothing: the agent times out
	garbage              // answer bytes that are no SNMP message
	nosuch               // answer every variable with noSuchObject
)

// proxy is a UDP relay in front of an agent, which misbehaves on demand.
type proxy struct {
	conn  net.PacketConn
	agent *net.UDPAddr
	mode  atomic.Int32
}

func startProxy(t *testing.T, agent string) *proxy {
	t.Helper()
	c, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	a, err := net.ResolveUDPAddr("udp", agent)
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{conn: c, agent: a}
	t.Cleanup(func() { c.Close() })
	go p.serve()
	return p
}

func (p *proxy) Addr() string { return p.conn.LocalAddr().String() }

func (p *proxy) serve() {
	buf := make([]byte, 65536)
	for {
		n, from, err := p.conn.ReadFrom(buf)
		if err != nil {
			return
		}
		req := append([]byte(nil), buf[:n]...)
		switch p.mode.Load() {
		case drop:
			continue
		case garbage:
			p.conn.WriteTo([]byte("\x30\x82\xff\xffnot an SNMP message"), from)
			continue
		case nosuch:
			if out := noSuchAnswer(req); out != nil {
				p.conn.WriteTo(out, from)
			}
			continue
		}
		go func() {
			up, err := net.DialUDP("udp", nil, p.agent)
			if err != nil {
				return
			}
			defer up.Close()
			up.Write(req)
			up.SetReadDeadline(time.Now().Add(5 * time.Second))
			b := make([]byte, 65536)
			if n, err := up.Read(b); err == nil {
				p.conn.WriteTo(b[:n], from)
			}
		}()
	}
}

// noSuchAnswer answers an SNMPv2c request: every variable noSuchObject.
func noSuchAnswer(req []byte) []byte {
	g := &gosnmp.GoSNMP{Version: gosnmp.Version2c, Logger: gosnmp.NewLogger(nil)}
	pkt, err := g.SnmpDecodePacket(req)
	if err != nil {
		return nil
	}
	pkt.PDUType = gosnmp.GetResponse
	for i := range pkt.Variables {
		pkt.Variables[i].Type, pkt.Variables[i].Value = gosnmp.NoSuchObject, nil
	}
	out, err := pkt.MarshalMsg()
	if err != nil {
		return nil
	}
	return out
}

// TestAgentFailures: an agent that stops answering, answers garbage or
// answers noSuchObject for everything makes our driver's data stale with
// a clear message while it lasts, and fresh again once the agent is
// back; meanwhile another UPS of the same upsd, on a healthy agent, is
// served as ever, and the driver answers upsd.
func TestAgentFailures(t *testing.T) {
	nuttest.NeedDebianNUT(t)
	rec, err := os.ReadFile("testdata/ietf.snmprec")
	if err != nil {
		t.Fatal(err)
	}
	agent := snmpsim.Start(t, map[string]string{"ietf.snmprec": string(rec)})
	px := startProxy(t, agent.Addr())
	ours := nuttest.Build(t, "gonut/cmd/snmp-ups")
	section := func(name, addr string, retries int) string {
		return fmt.Sprintf("[%s]\n\tdriver = snmp-ups\n\tport = %s\n\tcommunity = ietf\n\tsnmp_version = v2c\n"+
			"\tsnmp_timeout = 1\n\tsnmp_retries = %d\n\tpollinterval = 1\n\tpollfreq = 1\n", name, addr, retries)
	}
	s := nuttest.NewStack(t, section("flaky", px.Addr(), 0)+section("steady", agent.Addr(), 3), nil)
	s.Start(ours, "-a", "flaky", "-u", "root", "-F")
	s.Start(ours, "-a", "steady", "-u", "root", "-F")
	s.WaitSocket("snmp-ups", "flaky")
	s.WaitSocket("snmp-ups", "steady")
	s.StartUpsd()
	status := func(ups string) string {
		r := nuttest.Exec("", "upsc", s.Addr(ups), "ups.status")
		return strings.TrimSpace(r.Out + r.Err)
	}
	waitFor := func(what, want string) {
		t.Helper()
		nuttest.Eventually(t, what, func() (bool, string) {
			got := status("flaky")
			return got == want, got
		})
		if got := status("steady"); got != "OL" {
			t.Errorf("%s: the other UPS shows %q", what, got)
		}
	}
	waitFor("a healthy agent", "OL")
	for _, c := range []struct {
		mode int32
		name string
	}{
		{drop, "an agent that does not answer"},
		{garbage, "an agent that answers garbage"},
		{nosuch, "an agent that answers noSuchObject"},
	} {
		px.mode.Store(c.mode)
		waitFor(c.name, "Error: Data stale")
		px.mode.Store(pass)
		waitFor(c.name+", back", "OL")
	}
	logs, _ := filepath.Glob(filepath.Join(s.Dir, "snmp-ups-*.log"))
	var all string
	for _, l := range logs {
		b, _ := os.ReadFile(l)
		all += string(b)
	}
	for _, want := range []string{"Timeout: no response from " + px.Addr(), "answered with no SNMP message this driver can read",
		"the agent answered none of the", "communication with the device restored"} {
		if !strings.Contains(all, want) {
			t.Errorf("the driver's log lacks %q:\n%s", want, all)
		}
	}
}
