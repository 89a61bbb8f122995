package qxbridge

import (
	"net"
	"strings"
	"testing"
	"time"

	"gonut/test/usbsim/usbip"
)

// Over the USB/IP wire, as a kernel would ask: the cypress bridge takes
// Q1 in an output report and answers the status line in 8-byte interrupt
// reports; the krauler bridge answers it as string descriptor 3.
func TestOverUSBIP(t *testing.T) {
	for _, name := range []string{"cypress", "krauler"} {
		dev := New(Models[name], "1-1")
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		go usbip.NewServer(dev, nil).Serve(l)
		c, err := net.Dial("tcp", l.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(10 * time.Second))
		cl, info, err := usbip.Import(c, "1-1")
		if err != nil {
			t.Fatal(err)
		}
		if info.VendorID != Models[name].VendorID || info.ProductID != Models[name].ProductID {
			t.Errorf("%s: imported %04x:%04x", name, info.VendorID, info.ProductID)
		}
		var got []byte
		switch name {
		case "cypress":
			out := []byte("Q1\r\x00\x00\x00\x00\x00")
			if st, _, err := cl.Control(usbip.Setup{RequestType: 0x21, Request: 0x09, Value: 0x0200, Length: 8}, out); err != nil || st != 0 {
				t.Fatalf("SET_REPORT: %d %v", st, err)
			}
			for !strings.Contains(string(got), "\r") {
				if _, err := cl.Submit(1, true, usbip.Setup{}, 8, 0, nil); err != nil {
					t.Fatal(err)
				}
				h, data, err := cl.Read()
				if err != nil || h.Status != 0 || len(data) != 8 {
					t.Fatalf("interrupt read: %v status %d, % x", err, h.Status, data)
				}
				got = append(got, data...)
			}
		case "krauler":
			st, data, err := cl.Control(usbip.Setup{RequestType: 0x80, Request: 0x06, Value: 0x0303, Index: 0x0409, Length: 255}, nil)
			if err != nil || st != 0 || len(data) < 2 || int(data[0]) != len(data) || data[1] != 3 {
				t.Fatalf("string 3: %d %v % x", st, err, data)
			}
			for i := 2; i+1 < len(data); i += 2 {
				got = append(got, data[i])
			}
		}
		if want := dev.UPS.StatusLine(); !strings.HasPrefix(string(got), want) {
			t.Errorf("%s: answer %q, want %q", name, got, want)
		}
		if r := dev.Requests(); len(r) != 1 || r[0] != "Q1\r" {
			t.Errorf("%s: requests %q", name, r)
		}
	}
}
