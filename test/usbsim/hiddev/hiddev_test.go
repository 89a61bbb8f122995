package hiddev

import (
	"bytes"
	"net"
	"strings"
	"testing"
	"time"

	"gonut/test/usbsim/devfile"
	"gonut/test/usbsim/hiddesc"
	"gonut/test/usbsim/usbip"
)

const file = `vendorid 051d
productid 0002
bcddevice 0106
manufacturer 3 "American Power Conversion"
product 1 "Back-UPS XS 1400U FW:926.T2 .I USB FW:T2"
serial 2 "3B0123X12345"
string 4 "PbAc"
report-descriptor
  05 84 09 04 a1 01
  85 0c 75 08 95 01 05 85 09 66 81 a2 09 66 b1 a2 75 10 09 68 b1 a2
  85 16 75 01 95 08 09 d0 81 a2 09 d0 b1 a2
  85 18 75 08 95 01 05 84 09 5a b1 a2 91 a2
  c0
feature 0c: 0c 64
input 16: 16 01
`

var (
	feature0c = hiddesc.Report{Kind: hiddesc.Feature, ID: 0x0c}
	feature16 = hiddesc.Report{Kind: hiddesc.Feature, ID: 0x16}
)

func start(t *testing.T) (*Device, *usbip.Server, *usbip.Client) {
	t.Helper()
	f, err := devfile.Parse("test", strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	dev := New(f, "1-1")
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	s := usbip.NewServer(dev, nil)
	go s.Serve(l)
	c, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	c.SetDeadline(time.Now().Add(10 * time.Second))
	t.Cleanup(func() { c.Close() })
	cl, _, err := usbip.Import(c, "1-1")
	if err != nil {
		t.Fatal(err)
	}
	return dev, s, cl
}

func control(t *testing.T, cl *usbip.Client, s usbip.Setup, out []byte) (int32, []byte) {
	t.Helper()
	status, data, err := cl.Control(s, out)
	if err != nil {
		t.Fatal(err)
	}
	return status, data
}

func getDescriptor(typ, index uint8, length uint16) usbip.Setup {
	return usbip.Setup{RequestType: 0x80, Request: reqGetDescriptor, Value: uint16(typ)<<8 | uint16(index), Length: length}
}

func getReport(kind hiddesc.Kind, id uint8, length uint16) usbip.Setup {
	return usbip.Setup{RequestType: 0xa1, Request: hidGetReport, Value: uint16(kind)<<8 | uint16(id), Length: length}
}

func setReport(kind hiddesc.Kind, id uint8, length uint16) usbip.Setup {
	return usbip.Setup{RequestType: 0x21, Request: hidSetReport, Value: uint16(kind)<<8 | uint16(id), Length: length}
}

func TestDescriptors(t *testing.T) {
	_, _, cl := start(t)
	_, dev := control(t, cl, getDescriptor(dtDevice, 0, 64), nil)
	want := []byte{18, 1, 0x10, 0x01, 0, 0, 0, 8, 0x1d, 0x05, 0x02, 0x00, 0x06, 0x01, 3, 1, 2, 1}
	if !bytes.Equal(dev, want) {
		t.Errorf("device descriptor % x\n                 want % x", dev, want)
	}
	_, cfg := control(t, cl, getDescriptor(dtConfig, 0, 9), nil)
	if len(cfg) != 9 || cfg[2] != 34 {
		t.Fatalf("config header % x (want 9 bytes, total 34)", cfg)
	}
	_, cfg = control(t, cl, getDescriptor(dtConfig, 0, 34), nil)
	// interface: class 3, one endpoint; HID: report descriptor length; endpoint 81 interrupt
	iface, hid, ep := cfg[9:18], cfg[18:27], cfg[27:34]
	if iface[1] != dtInterface || iface[4] != 1 || iface[5] != 3 {
		t.Errorf("interface % x", iface)
	}
	_, report := control(t, cl, usbip.Setup{RequestType: 0x81, Request: reqGetDescriptor, Value: dtReport << 8, Length: 1024}, nil)
	if hid[1] != dtHID || int(hid[7])|int(hid[8])<<8 != len(report) || len(report) != 57 {
		t.Errorf("HID descriptor % x, report descriptor of %d bytes", hid, len(report))
	}
	if ep[1] != dtEndpoint || ep[2] != 0x81 || ep[3] != 3 || ep[4] != 8 {
		t.Errorf("endpoint % x", ep)
	}
	_, langs := control(t, cl, getDescriptor(dtString, 0, 255), nil)
	if !bytes.Equal(langs, []byte{4, 3, 0x09, 0x04}) {
		t.Errorf("languages % x", langs)
	}
	_, s := control(t, cl, getDescriptor(dtString, 4, 255), nil)
	if !bytes.Equal(s, []byte{10, 3, 'P', 0, 'b', 0, 'A', 0, 'c', 0}) {
		t.Errorf("string 4: % x", s)
	}
	for _, setup := range []usbip.Setup{getDescriptor(dtString, 9, 255), getDescriptor(6, 0, 10), getDescriptor(0x0f, 0, 5)} {
		if status, _ := control(t, cl, setup, nil); status != usbip.StatusStall {
			t.Errorf("%v: status %d, want a stall", setup, status)
		}
	}
	if status, _ := control(t, cl, usbip.Setup{Request: reqSetConfig, Value: 1}, nil); status != 0 {
		t.Errorf("SET_CONFIGURATION: status %d", status)
	}
	if _, c := control(t, cl, usbip.Setup{RequestType: 0x80, Request: reqGetConfig, Length: 1}, nil); !bytes.Equal(c, []byte{1}) {
		t.Errorf("GET_CONFIGURATION % x", c)
	}
	if status, _ := control(t, cl, usbip.Setup{RequestType: 0x21, Request: hidSetIdle}, nil); status != 0 {
		t.Errorf("SET_IDLE: status %d", status)
	}
}

func TestReports(t *testing.T) {
	dev, _, cl := start(t)
	for _, c := range []struct {
		setup  usbip.Setup
		status int32
		data   []byte
	}{
		{getReport(hiddesc.Feature, 0x0c, 64), 0, []byte{0x0c, 0x64}},           // listed: exactly its bytes, though the descriptor says 4
		{getReport(hiddesc.Feature, 0x16, 64), 0, []byte{0x16, 0}},              // not listed: zeros of the descriptor's length
		{getReport(hiddesc.Input, 0x16, 64), 0, []byte{0x16, 0x01}},             // the file's input report
		{getReport(hiddesc.Feature, 0x18, 1), 0, []byte{0x18}},                  // cut at wLength
		{getReport(hiddesc.Output, 0x18, 8), 0, []byte{0x18, 0}},                // output reports too
		{getReport(hiddesc.Feature, 0x42, 8), usbip.StatusStall, nil},           // not in the descriptor
		{getReport(hiddesc.Input, 0x18, 8), usbip.StatusStall, nil},             // 18 has no input report
		{usbip.Setup{RequestType: 0xa1, Request: 0x07}, usbip.StatusStall, nil}, // no such request
	} {
		status, data := control(t, cl, c.setup, nil)
		if status != c.status || !bytes.Equal(data, c.data) {
			t.Errorf("%v: status %d % x, want %d % x", c.setup, status, data, c.status, c.data)
		}
	}
	// A SET_REPORT is recorded, and GET_REPORT answers it afterwards.
	if status, _ := control(t, cl, setReport(hiddesc.Feature, 0x18, 2), []byte{0x18, 0x03}); status != 0 {
		t.Fatalf("SET_REPORT: status %d", status)
	}
	if status, _ := control(t, cl, setReport(hiddesc.Output, 0x18, 2), []byte{0x18, 0x01}); status != 0 {
		t.Fatalf("SET_REPORT output: status %d", status)
	}
	if status, _ := control(t, cl, setReport(hiddesc.Feature, 0x42, 2), []byte{0x42, 0x01}); status != usbip.StatusStall {
		t.Errorf("SET_REPORT of an unknown report: status %d, want a stall", status)
	}
	if _, data := control(t, cl, getReport(hiddesc.Feature, 0x18, 8), nil); !bytes.Equal(data, []byte{0x18, 0x03}) {
		t.Errorf("after SET_REPORT: % x", data)
	}
	sets := dev.Sets()
	if len(sets) != 2 || sets[0].String() != "feature 18: 18 03" || sets[1].String() != "output 18: 18 01" {
		t.Errorf("sets %v", sets)
	}
	dev.ClearSets()
	if len(dev.Sets()) != 0 {
		t.Error("ClearSets left some")
	}
	// The test changes the device's state.
	if err := dev.SetReport(feature0c, []byte{0x0c, 0x32, 0x10, 0x0e}); err != nil {
		t.Fatal(err)
	}
	if _, data := control(t, cl, getReport(hiddesc.Feature, 0x0c, 8), nil); !bytes.Equal(data, []byte{0x0c, 0x32, 0x10, 0x0e}) {
		t.Errorf("after SetReport: % x", data)
	}
	for _, bad := range []struct {
		r    hiddesc.Report
		data []byte
	}{{feature0c, []byte{0x0d, 1}}, {hiddesc.Report{Kind: hiddesc.Feature, ID: 0x42}, []byte{0x42}}} {
		if err := dev.SetReport(bad.r, bad.data); err == nil {
			t.Errorf("SetReport(%v, % x) accepted", bad.r, bad.data)
		}
	}
	if b, ok := dev.Report(feature16); !ok || !bytes.Equal(b, []byte{0x16, 0}) {
		t.Errorf("Report(feature 16): % x %v", b, ok)
	}
	if _, ok := dev.Report(hiddesc.Report{Kind: hiddesc.Input, ID: 0x18}); ok {
		t.Error("Report of an undefined report")
	}
}

func TestInterrupt(t *testing.T) {
	dev, _, cl := start(t)
	// At start, the file's input reports.
	seq, _ := cl.Submit(1, true, usbip.Setup{}, 8, 0, nil)
	h, data, err := cl.Read()
	if err != nil || h.Seqnum != seq || !bytes.Equal(data, []byte{0x16, 0x01}) {
		t.Fatalf("start report: %+v % x %v", h, data, err)
	}
	// Then what the test sends, once a transfer asks for it.
	done, err := dev.SendInput([]byte{0x16, 0x02})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
		t.Fatal("delivered with no transfer pending")
	case <-time.After(50 * time.Millisecond):
	}
	seq, _ = cl.Submit(1, true, usbip.Setup{}, 8, 0, nil)
	h, data, err = cl.Read()
	if err != nil || h.Seqnum != seq || !bytes.Equal(data, []byte{0x16, 0x02}) {
		t.Fatalf("sent report: %+v % x %v", h, data, err)
	}
	if !<-done {
		t.Error("SendInput not told of the delivery")
	}
	// The sent report is also GET_REPORT's answer now.
	if _, data := control(t, cl, getReport(hiddesc.Input, 0x16, 8), nil); !bytes.Equal(data, []byte{0x16, 0x02}) {
		t.Errorf("GET_REPORT input 16: % x", data)
	}
	if _, err := dev.SendInput([]byte{0x0d, 0x01}); err == nil {
		t.Error("SendInput of an input report the descriptor lacks was accepted")
	}
}

func TestStallAndMute(t *testing.T) {
	dev, _, cl := start(t)
	dev.SetStall(true)
	if status, _ := control(t, cl, getReport(hiddesc.Feature, 0x0c, 8), nil); status != usbip.StatusStall {
		t.Errorf("GET_REPORT while stalled: status %d", status)
	}
	if status, data := control(t, cl, getDescriptor(dtDevice, 0, 18), nil); status != 0 || len(data) != 18 {
		t.Errorf("standard requests still work while stalled: status %d % x", status, data)
	}
	// Interrupt reports are held back while stalled.
	seq, _ := cl.Submit(1, true, usbip.Setup{}, 8, 0, nil)
	other, _ := cl.Submit(0, true, usbip.Setup{RequestType: 0x80, Request: reqGetStatus, Length: 2}, 2, 0, nil) // answered at once
	h, _, err := cl.Read()
	if err != nil || h.Seqnum != other {
		t.Fatalf("the interrupt transfer was answered while stalled: %+v %v", h, err)
	}
	dev.SetStall(false)
	h, data, err := cl.Read()
	if err != nil || h.Seqnum != seq || !bytes.Equal(data, []byte{0x16, 0x01}) {
		t.Fatalf("after the stall: %+v % x %v", h, data, err)
	}
	// Muted: no answer until the host gives up.
	dev.SetMute(true)
	seq, _ = cl.Submit(0, true, getReport(hiddesc.Feature, 0x0c, 8), 8, 0, nil)
	unlink, _ := cl.Unlink(seq)
	h, _, err = cl.Read()
	if err != nil || h.Command != usbip.RetUnlink || h.Seqnum != unlink || h.Status != usbip.StatusUnlinked {
		t.Fatalf("muted GET_REPORT: %+v %v", h, err)
	}
	dev.SetMute(false)
	if status, data := control(t, cl, getReport(hiddesc.Feature, 0x0c, 8), nil); status != 0 || len(data) != 2 {
		t.Errorf("after the mute: status %d % x", status, data)
	}
}

func TestDetachDropsQueue(t *testing.T) {
	dev, s, _ := start(t)
	// The server takes the import on a goroutine of its own.
	for deadline := time.Now().Add(10 * time.Second); !dev.IsConnected() && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	done, err := dev.SendInput([]byte{0x16, 0x04})
	if err != nil {
		t.Fatal(err)
	}
	s.Detach()
	if <-done {
		t.Error("a report queued when the host left counted as delivered")
	}
	deadline := time.Now().Add(10 * time.Second)
	for dev.IsConnected() && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if _, err := dev.SendInput([]byte{0x16, 0x04}); err == nil {
		t.Error("SendInput with no host accepted")
	}
}
