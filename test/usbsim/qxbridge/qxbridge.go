// Package qxbridge simulates the USB-serial bridges of NUT's nutdrv_qx
// (cypress, phoenix, ippon, krauler, fabula, hunnox, sgs, snr, armac,
// ablerex, phoenixtec, fuji) as usbip.Devices: the bridge's side of each
// framing (reports written and read, string descriptors that carry
// requests), with a Q1-family UPS (drivers/qx/qxsim) behind it. Test
// code. The framings are those of NUT 2.8.0's nutdrv_qx.c, read from the
// device's side: what a bridge receives, and how it answers.
package qxbridge

import (
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode/utf16"

	"gonut/drivers/qx/qxsim"
	"gonut/test/usbsim/usbip"
)

// Model is a simulated device: its IDs, strings and bridge.
type Model struct {
	Bridge              string
	VendorID, ProductID uint16
	Vendor, Product     string
}

// Models are the devices the simulator knows, by a name for -qx: one per
// bridge, with the IDs and strings of a row of NUT's table that picks it.
var Models = map[string]Model{
	"cypress":    {"cypress", 0x0665, 0x5161, "Voltronic Power", "USB to Serial"},
	"phoenix":    {"phoenix", 0x06da, 0x0601, "Online", "Zinto A"},
	"ippon":      {"ippon", 0x06da, 0x0003, "Mustek", "Powermust"},
	"krauler":    {"krauler", 0x0001, 0x0000, "Krauler", "UP-M500VA"},
	"fabula":     {"fabula", 0x0001, 0x0000, "MEC", "MEC0003"},
	"hunnox":     {"hunnox", 0x0001, 0x0000, "Hunnox", "MEC0003"},
	"sgs":        {"sgs", 0x0483, 0x0035, "TS Shara", "UPS"},
	"snr":        {"snr", 0x0001, 0x0000, "SNR", "MEC0003"},
	"armac":      {"armac", 0x0925, 0x1234, "Richcomm", "UPS USB MON V1.4"},
	"ablerex":    {"ablerex", 0xffff, 0x0000, "Ablerex", "625L USB"},
	"phoenixtec": {"phoenixtec", 0x06da, 0x0002, "Phoenixtec Power", "USB Cable (V2.00)"},
	"fuji":       {"fuji", 0x0001, 0x0000, "ATCL FOR UPS", "ATCL FOR UPS"},
}

// Device is a bridge with a UPS behind it. Its methods are safe for
// concurrent use.
type Device struct {
	model Model
	busid string
	UPS   *qxsim.UPS
	ready chan struct{}

	mu         sync.Mutex
	pending    []byte   // a request being written
	queue      [][]byte // interrupt reports
	feature    []byte   // ablerex: the answer to read back
	requests   []string // requests the UPS got, in order
	transfers  []string // the transfers that carried them
	configured uint8
}

// New makes a device of a model, exported as busid, with a Megatec UPS
// behind its bridge.
func New(m Model, busid string) *Device {
	return &Device{model: m, busid: busid, UPS: qxsim.Detached(qxsim.Megatec), ready: make(chan struct{}, 1)}
}

// Requests are the requests the UPS got ("Q1\r"), in order.
func (d *Device) Requests() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.requests)
}

// Transfers are the transfers that carried requests, as lines
// ("out 21 09 0200 0000: 51 0d 00 00 00 00 00 00", "string 07"), in order.
func (d *Device) Transfers() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.transfers)
}

// ClearLog forgets the requests and transfers.
func (d *Device) ClearLog() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.requests, d.transfers = nil, nil
}

const (
	interruptEP = 0x81
	configValue = 1
	maxPacket   = 8
)

func (d *Device) packetSize() int {
	if d.model.Bridge == "ippon" {
		return 64
	}
	return maxPacket
}

// Info implements usbip.Device.
func (d *Device) Info() usbip.DeviceInfo {
	return usbip.DeviceInfo{
		Path: "/sys/devices/usbsim/" + d.busid, BusID: d.busid, BusNum: 1, DevNum: 2, Speed: usbip.SpeedFull,
		VendorID: d.model.VendorID, ProductID: d.model.ProductID, BCDDevice: 0x0100,
		ConfigurationValue: configValue, NumConfigurations: 1,
		Interfaces: []usbip.Interface{{Class: 0xff}},
	}
}

// InterruptIn implements usbip.Device.
func (d *Device) InterruptIn(ep uint8) bool { return ep == interruptEP&0x0f }

// InputReady implements usbip.Device.
func (d *Device) InputReady() <-chan struct{} { return d.ready }

// TakeInput implements usbip.Device.
func (d *Device) TakeInput(ep uint8) ([]byte, func(), bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.InterruptIn(ep) || len(d.queue) == 0 {
		return nil, nil, false
	}
	r := d.queue[0]
	d.queue = d.queue[1:]
	return r, func() {}, true
}

// Connected implements usbip.Device: what was pending is dropped.
func (d *Device) Connected(on bool) {
	d.mu.Lock()
	d.queue, d.pending, d.configured = nil, nil, 0
	d.mu.Unlock()
}

func (d *Device) signal() {
	select {
	case d.ready <- struct{}{}:
	default:
	}
}

// ask passes a request to the UPS; mu held.
func (d *Device) ask(req string) string {
	d.requests = append(d.requests, req)
	return d.UPS.Answer(req)
}

func (d *Device) logf(format string, args ...any) {
	d.transfers = append(d.transfers, fmt.Sprintf(format, args...))
}

// Control implements usbip.Device.
func (d *Device) Control(s usbip.Setup, out []byte) ([]byte, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	in, err := d.control(s, out)
	if len(in) > int(s.Length) {
		in = in[:s.Length]
	}
	return in, err
}

func (d *Device) control(s usbip.Setup, out []byte) ([]byte, error) {
	switch {
	case s.RequestType&0x60 == 0: // standard
		return d.standard(s)
	case s.RequestType == 0x21 && s.Request == 0x09: // SET_REPORT
		shown := fmt.Sprintf("% x", out)
		if i := slices.Index(out, 0); i >= 0 && d.model.Bridge == "ippon" {
			// What follows the request's NUL is whatever the host's
			// buffer held: NUT's ippon sends its stack there.
			shown = fmt.Sprintf("% x ..", out[:i+1])
		}
		d.logf("out %02x %02x %04x %04x: %s", s.RequestType, s.Request, s.Value, s.Index, shown)
		return nil, d.setReport(s.Value, out)
	case s.RequestType == 0xa1 && s.Request == 0x01 && d.model.Bridge == "ablerex" && s.Value == 0x0305:
		b := make([]byte, 47)
		copy(b, d.feature)
		return b, nil
	case s.RequestType == 0x42 && s.Request == 0x0d && d.model.Bridge == "phoenixtec":
		d.logf("out %02x %02x %04x %04x: % x", s.RequestType, s.Request, s.Value, s.Index, out)
		d.queueChunks(d.ask(string(out)), 8, nil)
		return nil, nil
	}
	return nil, usbip.ErrStall
}

// setReport takes a report the host wrote: a piece of a request.
func (d *Device) setReport(value uint16, out []byte) error {
	switch d.model.Bridge {
	case "cypress", "phoenix":
		if value != 0x0200 {
			return usbip.ErrStall
		}
		d.collect(cutNUL(out), func(a string) { d.queueChunks(a, 8, nil) })
	case "ippon":
		if value != 0x0002 {
			return usbip.ErrStall
		}
		d.collect(cutNUL(out), func(a string) {
			if a == "" {
				a = "\x00\r"
			}
			r := make([]byte, 64)
			copy(r, a)
			d.queue = append(d.queue, r)
		})
	case "sgs":
		if value != 0x0200 || len(out) < 1 {
			return usbip.ErrStall
		}
		n := min(int(out[0]), 7, len(out)-1)
		d.collect(out[1:1+n], func(a string) {
			d.queueChunks(a, 7, func(c []byte) []byte { return append([]byte{byte(len(c))}, c...) })
		})
	case "armac":
		if value != 0x0200 || len(out) < 1 || out[0]&0xf0 != 0xa0 {
			return usbip.ErrStall
		}
		n := min(int(out[0]&0x0f), 3, len(out)-1)
		d.collect(out[1:1+n], func(a string) {
			d.queueChunks(a, 5, func(c []byte) []byte {
				r := make([]byte, 6)
				r[0] = 0xa0 | byte(len(c))
				copy(r[1:], c)
				return r
			})
			d.queue = append(d.queue, []byte{0xa0, 0, 0, 0, 0, 0})
		})
	case "ablerex":
		if value != 0x0305 || len(out) < 3 || out[0] != 0x05 {
			return usbip.ErrStall
		}
		n := min(int(out[2]), len(out)-3)
		d.feature = []byte(d.ask(string(out[3 : 3+n])))
	default:
		return usbip.ErrStall
	}
	d.signal()
	return nil
}

// InterruptOut implements usbip.OutputDevice: Fuji's bridge takes its
// requests on endpoint 2, one 8-byte report each ([0x80, 0x06, length
// + 1, 0x03, request..., answer length]); the answer, if the report asks
// for one, comes in 8-byte interrupt reports.
func (d *Device) InterruptOut(ep uint8, data []byte) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.model.Bridge != "fuji" || ep != 2 || len(data) != 8 || data[0] != 0x80 || data[1] != 0x06 || data[3] != 0x03 {
		return false
	}
	d.logf("interrupt %02x: % x", ep, data)
	n := min(max(int(data[2])-1, 0), 3)
	a := d.ask(string(data[4:4+n]) + "\r")
	if data[7] != 0 {
		d.queueChunks(a, 8, nil)
		d.signal()
	}
	return true
}

func cutNUL(b []byte) []byte {
	if i := slices.Index(b, 0); i >= 0 {
		return b[:i]
	}
	return b
}

// collect adds bytes to the request being written; at its CR the UPS
// gets it, and answer queues what it says.
func (d *Device) collect(b []byte, answer func(string)) {
	for _, c := range b {
		d.pending = append(d.pending, c)
		if c == '\r' {
			req := string(d.pending)
			d.pending = nil
			answer(d.ask(req))
		}
	}
}

// queueChunks queues an answer in pieces of n bytes, each framed by
// frame (nil: padded with NULs to n).
func (d *Device) queueChunks(a string, n int, frame func([]byte) []byte) {
	for i := 0; i < len(a); i += n {
		c := []byte(a[i:min(len(a), i+n)])
		if frame != nil {
			c = frame(c)
		} else if d.model.Bridge != "phoenixtec" {
			c = append(c, make([]byte, n-len(c))...)
		}
		d.queue = append(d.queue, c)
	}
}

func (d *Device) standard(s usbip.Setup) ([]byte, error) {
	switch s.Request {
	case 0x06: // GET_DESCRIPTOR
		return d.descriptor(s)
	case 0x00: // GET_STATUS
		return []byte{0, 0}, nil
	case 0x01, 0x03, 0x05: // CLEAR_FEATURE, SET_FEATURE, SET_ADDRESS
		return nil, nil
	case 0x08:
		return []byte{d.configured}, nil
	case 0x09:
		if s.Value > configValue {
			return nil, usbip.ErrStall
		}
		d.configured = uint8(s.Value)
		return nil, nil
	case 0x0a:
		return []byte{0}, nil
	case 0x0b:
		if s.Value != 0 || s.Index != 0 {
			return nil, usbip.ErrStall
		}
		return nil, nil
	}
	return nil, usbip.ErrStall
}

func (d *Device) descriptor(s usbip.Setup) ([]byte, error) {
	index := uint8(s.Value)
	switch uint8(s.Value >> 8) {
	case 0x01:
		b := []byte{18, 0x01, 0x10, 0x01, 0, 0, 0, 8}
		b = binary.LittleEndian.AppendUint16(b, d.model.VendorID)
		b = binary.LittleEndian.AppendUint16(b, d.model.ProductID)
		b = binary.LittleEndian.AppendUint16(b, 0x0100)
		return append(b, 1, 2, 0, 1), nil
	case 0x02:
		iface := []byte{9, 0x04, 0, 0, 1, 0xff, 0, 0, 0}
		ep := []byte{7, 0x05, interruptEP, 0x03, byte(d.packetSize()), 0, 10}
		if d.model.Bridge == "fuji" {
			iface[4] = 2
			ep = append(ep, 7, 0x05, 0x02, 0x03, 8, 0, 10)
		}
		rest := append(iface, ep...)
		b := []byte{9, 0x02}
		b = binary.LittleEndian.AppendUint16(b, uint16(9+len(rest)))
		b = append(b, 1, configValue, 0, 0x80, 50)
		return append(b, rest...), nil
	case 0x03:
		switch index {
		case 0:
			return []byte{4, 0x03, 0x09, 0x04}, nil
		case 1:
			return stringDescriptor(d.model.Vendor), nil
		case 2:
			return stringDescriptor(d.model.Product), nil
		}
		if req, ok := d.stringRequest(index); ok {
			d.logf("string %02x", index)
			a := d.ask(req)
			if a == "" || strings.HasPrefix(req, "S") {
				a = "UPS No Ack\r"
			}
			return stringDescriptor(a), nil
		}
	}
	return nil, usbip.ErrStall
}

// stringRequest is the request a string descriptor carries on the
// string bridges.
func (d *Device) stringRequest(index uint8) (string, bool) {
	common := map[uint8]string{0x03: "Q1\r", 0x0d: "F\r", 0x0c: "I\r"}
	switch d.model.Bridge {
	case "snr":
		r, ok := common[index]
		return r, ok
	case "krauler":
		if r, ok := common[index]; ok {
			return r, true
		}
		r, ok := map[uint8]string{0x04: "T\r", 0x05: "TL\r", 0x07: "Q\r", 0x0b: "C\r"}[index]
		return r, ok
	case "fabula", "hunnox":
		if r, ok := common[index]; ok {
			return r, true
		}
		switch {
		case index == 0x07:
			return "Q\r", true
		case index&0x0f == 0x0a:
			return "C\r", true
		case index >= 0x10 && index&0x07 == 0:
			n := int(index >> 4)
			delay := fmt.Sprintf("%02d", n-5)
			if n < 6 {
				delay = fmt.Sprintf(".%d", n+4)
			}
			if index&0x08 != 0 {
				return "S" + delay + "R0001\r", true
			}
			return "S" + delay + "R0000\r", true
		}
	}
	return "", false
}

func stringDescriptor(s string) []byte {
	units := utf16.Encode([]rune(s))
	if len(units) > 126 {
		units = units[:126]
	}
	b := []byte{byte(2 + 2*len(units)), 0x03}
	for _, u := range units {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return b
}

// Do runs a control command for the simulator's control interface (the
// line protocol of package control):
//
//	requests        the requests the UPS got, one a line (Q1\r as Q1)
//	log             the transfers that carried them
//	clear-log       forget both
//	mains lost|back take the mains away, or give them back
//	low-battery     run the battery low
func (d *Device) Do(line string) ([]string, error) {
	w := strings.Fields(line)
	if len(w) == 0 {
		return nil, fmt.Errorf("empty command")
	}
	switch w[0] {
	case "requests":
		var out []string
		for _, r := range d.Requests() {
			out = append(out, strings.TrimSuffix(r, "\r"))
		}
		return out, nil
	case "log":
		return d.Transfers(), nil
	case "clear-log":
		d.ClearLog()
		return nil, nil
	case "mains":
		if len(w) != 2 || w[1] != "lost" && w[1] != "back" {
			return nil, fmt.Errorf("mains: expected lost or back")
		}
		d.UPS.MainsLost(w[1] == "lost")
		return nil, nil
	case "low-battery":
		d.UPS.LowBattery()
		return nil, nil
	}
	return nil, fmt.Errorf("unknown command %q (requests, log, clear-log, mains, low-battery)", w[0])
}
