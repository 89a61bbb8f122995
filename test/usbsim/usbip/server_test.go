package usbip

import (
	"bytes"

	"net"
	"sync"
	"testing"
	"time"
)

// fakeDevice answers request 1 with four bytes, stalls request 2, leaves
// request 3 unanswered, and has an interrupt IN endpoint 1.
type fakeDevice struct {
	mu        sync.Mutex
	queue     [][]byte
	delivered int
	ready     chan struct{}
	connected []bool
}

func newFake() *fakeDevice { return &fakeDevice{ready: make(chan struct{}, 1)} }

func (f *fakeDevice) Info() DeviceInfo {
	return DeviceInfo{Path: "/sys/devices/fake/1-1", BusID: "1-1", BusNum: 1, DevNum: 2, Speed: SpeedFull,
		VendorID: 0x051d, ProductID: 0x0002, BCDDevice: 0x0106, ConfigurationValue: 1, NumConfigurations: 1,
		Interfaces: []Interface{{Class: 3}}}
}

func (f *fakeDevice) Control(s Setup, out []byte) ([]byte, error) {
	switch s.Request {
	case 1:
		return []byte{1, 2, 3, 4}, nil
	case 2:
		return nil, ErrStall
	case 3:
		return nil, ErrNoAnswer
	case 4: // OUT
		if !bytes.Equal(out, []byte{9, 8, 7}) {
			return nil, ErrStall
		}
		return nil, nil
	}
	return nil, ErrStall
}

func (f *fakeDevice) InterruptIn(ep uint8) bool   { return ep == 1 }
func (f *fakeDevice) InputReady() <-chan struct{} { return f.ready }
func (f *fakeDevice) TakeInput(ep uint8) ([]byte, func(), bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.queue) == 0 {
		return nil, nil, false
	}
	b := f.queue[0]
	f.queue = f.queue[1:]
	return b, func() { f.mu.Lock(); f.delivered++; f.mu.Unlock() }, true
}
func (f *fakeDevice) Connected(on bool) {
	f.mu.Lock()
	f.connected = append(f.connected, on)
	f.mu.Unlock()
}
func (f *fakeDevice) send(b []byte) {
	f.mu.Lock()
	f.queue = append(f.queue, b)
	f.mu.Unlock()
	select {
	case f.ready <- struct{}{}:
	default:
	}
}

// serve starts a server for dev on a loopback port.
func serve(t *testing.T, dev Device) (*Server, string) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := NewServer(dev, nil)
	go s.Serve(l)
	t.Cleanup(func() { l.Close() })
	return s, l.Addr().String()
}

func dial(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	c.SetDeadline(time.Now().Add(10 * time.Second))
	t.Cleanup(func() { c.Close() })
	return c
}

func importDevice(t *testing.T, addr string) *Client {
	t.Helper()
	cl, info, err := Import(dial(t, addr), "1-1")
	if err != nil {
		t.Fatal(err)
	}
	if info.BusID != "1-1" || info.VendorID != 0x051d || info.DevID() != 1<<16|2 {
		t.Fatalf("imported %+v", info)
	}
	return cl
}

func TestDevlist(t *testing.T) {
	_, addr := serve(t, newFake())
	devs, err := Devlist(dial(t, addr))
	if err != nil {
		t.Fatal(err)
	}
	if len(devs) != 1 {
		t.Fatalf("%d devices", len(devs))
	}
	d := devs[0]
	if d.BusID != "1-1" || d.Path != "/sys/devices/fake/1-1" || d.VendorID != 0x051d || d.ProductID != 2 ||
		d.BCDDevice != 0x0106 || d.Speed != SpeedFull || len(d.Interfaces) != 1 || d.Interfaces[0].Class != 3 {
		t.Errorf("%+v", d)
	}
}

func TestImportRefusals(t *testing.T) {
	s, addr := serve(t, newFake())
	if _, _, err := Import(dial(t, addr), "2-1"); err != StatusError(StNoDev) {
		t.Errorf("import of another busid: %v, want status %d", err, StNoDev)
	}
	cl := importDevice(t, addr)
	if !s.Attached() {
		t.Error("not attached after the import")
	}
	if _, _, err := Import(dial(t, addr), "1-1"); err != StatusError(StDevBusy) {
		t.Errorf("second import: %v, want status %d", err, StDevBusy)
	}
	changed := s.AttachChanged()
	cl.Close()
	select {
	case <-changed:
	case <-time.After(10 * time.Second):
		t.Fatal("no detach seen")
	}
	if s.Attached() {
		t.Error("still attached after the host left")
	}
	importDevice(t, addr) // free again
}

func TestControl(t *testing.T) {
	_, addr := serve(t, newFake())
	cl := importDevice(t, addr)
	for _, c := range []struct {
		setup  Setup
		out    []byte
		status int32
		data   []byte
	}{
		{Setup{0x80, 1, 0, 0, 64}, nil, StatusOK, []byte{1, 2, 3, 4}},
		{Setup{0x80, 1, 0, 0, 2}, nil, StatusOK, []byte{1, 2}}, // stops at wLength
		{Setup{0x80, 2, 0, 0, 8}, nil, StatusStall, nil},
		{Setup{0x00, 4, 0, 0, 3}, []byte{9, 8, 7}, StatusOK, nil},
	} {
		status, data, err := cl.Control(c.setup, c.out)
		if err != nil {
			t.Fatal(err)
		}
		if status != c.status || !bytes.Equal(data, c.data) {
			t.Errorf("%v: status %d data % x, want %d % x", c.setup, status, data, c.status, c.data)
		}
	}
	// A full buffer asked for, a short answer given: -EREMOTEIO, with the data.
	seq, _ := cl.Submit(0, true, Setup{0x80, 1, 0, 0, 8}, 8, urbShortNotOK, nil)
	h, data, err := cl.Read()
	if err != nil || h.Seqnum != seq || h.Status != StatusShortRead || len(data) != 4 {
		t.Errorf("short read: %+v % x %v", h, data, err)
	}
}

func TestInterruptAndUnlink(t *testing.T) {
	dev := newFake()
	_, addr := serve(t, dev)
	cl := importDevice(t, addr)

	// An interrupt transfer waits for a report.
	first, _ := cl.Submit(1, true, Setup{}, 8, 0, nil)
	second, _ := cl.Submit(1, true, Setup{}, 8, 0, nil)
	dev.send([]byte{0x16, 0x0c, 0, 0, 0})
	h, data, err := cl.Read()
	if err != nil || h.Seqnum != first || h.Status != StatusOK || !bytes.Equal(data, []byte{0x16, 0x0c, 0, 0, 0}) {
		t.Fatalf("first report: %+v % x %v", h, data, err)
	}
	// The second is unlinked before any report: RET_UNLINK -ECONNRESET,
	// and no RET_SUBMIT for it ever after (vhci-hcd drops the connection
	// on a RET_SUBMIT it no longer knows).
	unlink, _ := cl.Unlink(second)
	h, _, err = cl.Read()
	if err != nil || h.Command != RetUnlink || h.Seqnum != unlink || h.Status != StatusUnlinked {
		t.Fatalf("unlink: %+v %v", h, err)
	}
	// Unlinking what was answered already: status 0.
	unlink, _ = cl.Unlink(first)
	h, _, err = cl.Read()
	if err != nil || h.Command != RetUnlink || h.Seqnum != unlink || h.Status != StatusOK {
		t.Fatalf("late unlink: %+v %v", h, err)
	}
	// A report longer than the buffer: cut, with -EOVERFLOW.
	dev.send([]byte{1, 2, 3, 4, 5, 6})
	seq, _ := cl.Submit(1, true, Setup{}, 4, 0, nil)
	h, data, err = cl.Read()
	if err != nil || h.Seqnum != seq || h.Status != StatusOverflow || !bytes.Equal(data, []byte{1, 2, 3, 4}) {
		t.Fatalf("overflow: %+v % x %v", h, data, err)
	}
	// A control transfer left unanswered, then unlinked.
	held, _ := cl.Submit(0, true, Setup{0x80, 3, 0, 0, 8}, 8, 0, nil)
	unlink, _ = cl.Unlink(held)
	h, _, err = cl.Read()
	if err != nil || h.Command != RetUnlink || h.Seqnum != unlink || h.Status != StatusUnlinked {
		t.Fatalf("unlink of a held control transfer: %+v %v", h, err)
	}
	// An endpoint the device does not have stalls.
	seq, _ = cl.Submit(2, true, Setup{}, 8, 0, nil)
	h, _, err = cl.Read()
	if err != nil || h.Seqnum != seq || h.Status != StatusStall {
		t.Fatalf("endpoint 2: %+v %v", h, err)
	}
	dev.mu.Lock()
	defer dev.mu.Unlock()
	if dev.delivered != 2 {
		t.Errorf("%d reports delivered, want 2", dev.delivered)
	}
}

func TestDetach(t *testing.T) {
	dev := newFake()
	s, addr := serve(t, dev)
	if s.Detach() {
		t.Error("Detach with no host said it had one")
	}
	cl := importDevice(t, addr)
	changed := s.AttachChanged()
	if !s.Detach() {
		t.Error("Detach found no host")
	}
	if _, _, err := cl.Read(); err == nil {
		t.Error("the host's connection is still open")
	}
	<-changed
	dev.mu.Lock()
	defer dev.mu.Unlock()
	if len(dev.connected) != 2 || !dev.connected[0] || dev.connected[1] {
		t.Errorf("device told %v, want [true false]", dev.connected)
	}
}

// Bad input from the wire ends that host's connection and nothing else.
func TestBadInput(t *testing.T) {
	s, addr := serve(t, newFake())
	for name, b := range map[string][]byte{
		"version":   OpHeader{0x0106, OpReqDevlist, 0}.append(nil),
		"operation": OpHeader{Version, 0x8009, 0}.append(nil),
	} {
		c := dial(t, addr)
		c.Write(b)
		if n, err := c.Read(make([]byte, 1)); n != 0 || err == nil {
			t.Errorf("%s: the server answered", name)
		}
	}
	for name, h := range map[string]Header{
		"command":     {Command: 7},
		"iso packets": {Command: CmdSubmit, Direction: 1, EP: 1, NumPackets: 3},
		"huge OUT":    {Command: CmdSubmit, Direction: 0, EP: 0, Length: 1 << 30},
	} {
		cl := importDevice(t, addr)
		cl.c.Write(h.Append(nil))
		if _, _, err := cl.Read(); err == nil {
			t.Errorf("%s: connection still open", name)
		}
		deadline := time.Now().Add(10 * time.Second)
		for s.Attached() && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
	}
	importDevice(t, addr) // the server still serves
}

func FuzzURBs(f *testing.F) {
	f.Add(Header{Command: CmdSubmit, Seqnum: 1, Direction: 1, Length: 8, Setup: Setup{0x80, 1, 0, 0, 8}.Bytes()}.Append(nil))
	f.Add(append(Header{Command: CmdSubmit, Seqnum: 1, Direction: 1, EP: 1, Length: 8}.Append(nil),
		Header{Command: CmdUnlink, Seqnum: 2, UnlinkSeqnum: 1}.Append(nil)...))
	f.Add(append(Header{Command: CmdSubmit, Seqnum: 1, Length: 3, Setup: Setup{0, 4, 0, 0, 3}.Bytes()}.Append(nil), 9, 8, 7))
	f.Fuzz(func(t *testing.T, wire []byte) {
		dev := newFake()
		dev.send([]byte{1, 2, 3})
		s := NewServer(dev, nil)
		host, server := net.Pipe()
		done := make(chan struct{})
		go func() { s.handle(server); close(done) }()
		go func() { // the host: reads whatever comes back
			for {
				if _, err := host.Read(make([]byte, 512)); err != nil {
					return
				}
			}
		}()
		req := OpHeader{Version, OpReqImport, 0}.append(nil)
		req = putString(req, "1-1", 32)
		host.Write(append(req, wire...))
		host.Close()
		<-done
	})
}
