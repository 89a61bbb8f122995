package scanner_test

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"testing"

	"golang.org/x/sys/unix"

	"gonut/internal/nuttest"
	"gonut/scanner"
)

// card answers the scan request on addr's port 4679 as an Eaton network
// card does, with answer, until the test ends; it records what it got.
type card struct {
	mu   sync.Mutex
	reqs []string
}

func (c *card) requests() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.reqs...)
}

func startCard(t *testing.T, conn *net.UDPConn, answer string) *card {
	c := &card{}
	t.Cleanup(func() { conn.Close() })
	go func() {
		buf := make([]byte, 2048)
		for {
			n, from, err := conn.ReadFromUDP(buf)
			if err != nil {
				return
			}
			c.mu.Lock()
			c.reqs = append(c.reqs, string(buf[:n]))
			c.mu.Unlock()
			conn.WriteToUDP([]byte(answer), from)
		}
	}()
	return c
}

func newCard(t *testing.T, addr, answer string) *card {
	t.Helper()
	conn, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.ParseIP(addr), Port: scanner.XMLPort})
	if err != nil {
		t.Fatal(err)
	}
	return startCard(t, conn, answer)
}

func needDebianXML(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(debianScanner); err != nil {
		t.Skip("Debian's nut-scanner is not installed: apt-get install nut-server, or run make check")
	}
	if !strings.Contains(nuttest.Exec("", debianScanner, "-a").Out, "XML") {
		t.Skip("Debian's nut-scanner has no XML scan without libneon: apt-get install libneon27-gnutls")
	}
}

func sameScan(t *testing.T, deb, mine nuttest.Result, what string) {
	t.Helper()
	d, dok := sections(deb.Out)
	o, ook := sections(mine.Out)
	if strings.Contains(what, "-P") {
		d, o = sortedLines(deb.Out), sortedLines(mine.Out)
	}
	if d != o || !dok || !ook || deb.Code != mine.Code || sortedLines(deb.Err) != sortedLines(mine.Err) {
		t.Errorf("nut-scanner %s:\nDebian's (exit %d):\n%s%s\nours (exit %d):\n%s%s", what, deb.Code, deb.Out, deb.Err, mine.Code, mine.Out, mine.Err)
	}
}

// TestXMLScanLikeDebian: cards on loopback addresses answer the scan
// request; Debian's nut-scanner -M (with libneon) and ours print the same
// sections and complaints, for answers of UPSes, of ePDUs, cut short,
// malformed, and for addresses where nothing answers.
func TestXMLScanLikeDebian(t *testing.T) {
	t.Parallel()
	needDebianXML(t)
	ours := nuttest.Build(t, "gonut/cmd/nut-scanner")
	for i, answer := range []string{
		`<?xml version="1.0" encoding="UTF-8"?><DEVICE name="ups1" type="Eaton 5PX 1500" version="3"/>`,
		`<SCAN_ANSWER><DEVICE type="UPS"/></SCAN_ANSWER>`, // the first element has no type
		`<DEVICE class="DEV.PDU" type="ePDU G3"/>`,
		`<DEVICE type="p" class="DEV.PDU"/>`,
		`hello`, ``, `   `,
		`<A type="x"><B type="y"/></A>`, `<A type="x"><B/></A>`, `<A type="x"`, `<A type="x">`,
		`<A type="x"></B>`, `<A type="x"/><C type="z"/>`, `<!-- c --><A type="y"/>`,
		`<A type="x">text</A>trailing`, `<A type="x"/>   `, `junk<A type="x"/>`, `<A name="n"/>`,
		`<A type="x" type="y"/>`, `<A TYPE="x"/>`, `<x:A xmlns:x="urn:a" x:type="q"/>`, `<A type="é &amp; &lt;"/>`,
		`<A type="1"></A><!-- after -->`, `<A type=""/>`,
		"<A type=\"a\nb\tc\"/>", `<A type="x"><![CDATA[ z ]]></A>`, `<A type='single'/>`, `<A type="&unknown;"/>`,
		"<A type=\"x\"/>\x00", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><A type=\"\xe9\"/>", `<!DOCTYPE A><A type="d"/>`,
		"\xef\xbb\xbf<A type=\"b\"/>", `<A type="x"/><?pi ?>`, `<A type="&#65;&#x42;"/>`, "<A type=\"\xff\"/>",
		`<A  type = "sp" />`, "<A type=\"x\x00y\"/>", "\x00<A type=\"x\"/>", "<A type=\"x\"/>\x00junk<", "<A type=\"x\"/>\n<",
		"<A type=\"a\r\nb\"/>", `<A type="a&#10;b"/>`, `<?xml version="1.0" encoding="UTF-16"?><A type="x"/>`, `<1A type="n"/>`, `<A type="x" class="DEV.UPS"/>`,
		`<A type="` + strings.Repeat("long ", 200) + `"/>`, // beyond the 520 bytes NUT reads
	} {
		addr := fmt.Sprintf("127.77.10.%d", i+1)
		c := newCard(t, addr, answer)
		args := []string{"-M", "-s", addr, "-t", "1"}
		if i%2 == 1 {
			args = append(args, "-P")
		}
		what := strings.Join(args, " ") + " (answer " + answer + ")"
		sameScan(t, nuttest.Exec("", debianScanner, args...), nuttest.Exec("", ours, args...), what)
		if r := c.requests(); len(r) != 2 || r[0] != "<SCAN_REQUEST/>" {
			t.Errorf("%s: the card got %q", addr, r)
		}
	}
	// Not alike: `<A type="<"/>` (a '<' in an attribute) is refused by
	// ours; libxml2's push parser, never told the answer has ended, does
	// not get to that tag and neon finds no fault: a section without desc.

	// A range, with cards at some addresses; nothing at the others
	// (each asked three times, a second each).
	newCard(t, "127.77.11.1", `<DEVICE type="Eaton 9PX"/>`)
	newCard(t, "127.77.11.2", `<DEVICE class="DEV.PDU" type="ePDU"/>`)
	newCard(t, "127.77.11.6", `<DEVICE type="Eaton 9SX"/>`)
	var wg sync.WaitGroup
	for _, args := range [][]string{
		{"-M", "-s", "127.77.11.1", "-e", "127.77.11.4", "-t", "1"},
		{"-M", "-m", "127.77.11.4/30", "-t", "1", "-P"},
		{"-M", "-s", "127.77.11.9", "-t", "1", "-q"},
	} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var deb, mine nuttest.Result
			var both sync.WaitGroup
			both.Add(2)
			go func() { defer both.Done(); deb = nuttest.Exec("", debianScanner, args...) }()
			go func() { defer both.Done(); mine = nuttest.Exec("", ours, args...) }()
			both.Wait()
			sameScan(t, deb, mine, strings.Join(args, " "))
		}()
	}
	wg.Wait()
}

// TestXMLBroadcastLikeDebian: without an address, the request is a
// broadcast on the segment: on one of two hosts (network namespaces), with
// a card on the other, both scanners find it; without a route, both
// fail to send it, three times.
func TestXMLBroadcastLikeDebian(t *testing.T) {
	t.Parallel()
	needDebianXML(t)
	h := nuttest.TwoHosts(t)
	ours := nuttest.Build(t, "gonut/cmd/nut-scanner")
	run := func(bin string) nuttest.Result {
		return nuttest.Exec("", "ip", h.In(h.A, bin, "-M", "-t", "1")...)
	}
	// No route for 255.255.255.255 yet.
	sameScan(t, run(debianScanner), run(ours), "-M -t 1 (no route)")

	// The card, listening in B.
	conn, err := listenIn(h.B, &net.UDPAddr{IP: net.IPv4zero, Port: scanner.XMLPort})
	if err != nil {
		t.Fatal(err)
	}
	c := startCard(t, conn, `<DEVICE type="Eaton 5P"/>`)
	if out, err := exec.Command("ip", "-n", h.A, "route", "add", "default", "via", h.AddrB).CombinedOutput(); err != nil {
		t.Fatalf("ip route: %v: %s", err, out)
	}
	deb, mine := run(debianScanner), run(ours)
	sameScan(t, deb, mine, "-M -t 1")
	if !strings.Contains(mine.Out, `port = "http://`+h.AddrB+`"`) {
		t.Errorf("the card was not found:\n%s%s", mine.Out, mine.Err)
	}
	if r := c.requests(); len(r) != 2 {
		t.Errorf("the card got %q", r)
	}
}

// listenIn opens a UDP socket in network namespace ns (a socket stays in
// the namespace it was made in).
func listenIn(ns string, addr *net.UDPAddr) (*net.UDPConn, error) {
	type result struct {
		c   *net.UDPConn
		err error
	}
	ch := make(chan result)
	go func() {
		// This thread changes namespace and is never given back to
		// the scheduler (the goroutine ends locked): it dies.
		runtime.LockOSThread()
		f, err := os.Open("/run/netns/" + ns)
		if err != nil {
			ch <- result{err: err}
			return
		}
		defer f.Close()
		if err := unix.Setns(int(f.Fd()), unix.CLONE_NEWNET); err != nil {
			ch <- result{err: err}
			return
		}
		c, err := net.ListenUDP("udp4", addr)
		ch <- result{c, err}
	}()
	r := <-ch
	return r.c, r.err
}

func FuzzXMLAnswer(f *testing.F) {
	for _, s := range []string{`<DEVICE type="Eaton 5PX"/>`, `<A type="x"`, `<A class="DEV.PDU" type="e"/>`, `<a><b></a>`, ``, `<!-- -->`, `<?xml version="1.0"?><A type="1"/>`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		desc, typed, ok := scanner.XMLAnswer(b)
		if !ok && (desc != "" || typed) {
			t.Errorf("%q: refused, with a description %q", b, desc)
		}
		if ok && len(b) == 0 {
			t.Errorf("an empty answer accepted")
		}
		if ok && typed && !strings.Contains(string(b), "type") {
			t.Errorf("%q: a description without a type attribute", b)
		}
	})
}
