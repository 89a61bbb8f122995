package replay

import (
	"context"
	"encoding/binary"
	"sync"
	"time"

	"gonut/drivers/usb"
)

// Setup is a control request, as a Device is asked it.
type Setup struct {
	RequestType, Request uint8
	Value, Index         uint16
}

// Answer is a device's answer to one request: data (for IN requests) or
// an error.
type Answer struct {
	Data []byte
	Err  usb.Code // 0: no error
}

// Transfer is one request a Device was asked, and what it answered.
type Transfer struct {
	Kind   string // "control", "interrupt", "claim"
	Setup  Setup  // control
	Length int    // bytes asked (IN) or given (OUT)
	Data   []byte // the answer (IN) or what was written (OUT)
	Err    usb.Code
}

// Interface describes one interface of a Device's single configuration.
type Interface struct {
	Number int
	Class  uint8 // 3 for HID
	// HIDLength is wDescriptorLength as the HID descriptor gives it: 0
	// for the length of the report descriptor, -1 for no HID descriptor.
	HIDLength int
	Endpoints []Endpoint
}

// Endpoint describes an endpoint.
type Endpoint struct {
	Address, Attributes uint8 // 0x81, 0x03: interrupt IN
	MaxPacket           int
}

// Device is a scripted USB device. Fill in its fields, script its answers
// (On, Report, Interrupt), put it on a Bus. Requests a script does not
// answer are answered from the fields: the standard descriptors, strings,
// GET_STATUS, CLEAR_FEATURE, the HID and report descriptors, and
// SET_REPORT (taken); anything else stalls, as a real device does.
type Device struct {
	Bus, Address, Port           int
	VendorID, ProductID, Release uint16
	// Manufacturer, Product and Serial are string descriptors 1, 2 and 3
	// ("": none); Strings holds others by index.
	Manufacturer, Product, Serial string
	Strings                       map[uint8]string
	// Interfaces: nil is one HID interface, 0, with interrupt IN
	// endpoint 0x81.
	Interfaces       []Interface
	ReportDescriptor []byte
	OpenErr          usb.Code   // Bus.Open fails with it
	ClaimErrs        []usb.Code // each Claim fails with the next (0: succeeds), then all succeed

	mu         sync.Mutex
	script     map[Setup][]Answer
	interrupts []Answer
	arrived    chan struct{} // closed and remade when an interrupt is queued or the device leaves
	log        []Transfer
	waiting    int  // interrupt reads blocked for a report
	gen        int  // the handles of an older generation are dead
	gone       bool // unplugged
	scriptOnly bool // loaded from a transcript: nothing is made up
}

// On scripts the answers to a request: one per time it is asked, the last
// one for every time after.
func (d *Device) On(s Setup, answers ...Answer) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.script == nil {
		d.script = map[Setup][]Answer{}
	}
	d.script[s] = append(d.script[s], answers...)
}

// Report sets what GET_REPORT of a report returns from now on (its ID
// first, when the device numbers its reports).
func (d *Device) Report(t usb.ReportType, id uint8, data []byte) {
	d.answerReport(t, id, Answer{Data: data})
}

// Fail makes GET_REPORT of a report fail with code from now on (a stall,
// a timeout), until Report sets it again.
func (d *Device) Fail(t usb.ReportType, id uint8, code usb.Code) {
	d.answerReport(t, id, Answer{Err: code})
}

func (d *Device) answerReport(t usb.ReportType, id uint8, a Answer) {
	s := Setup{0xa1, 0x01, uint16(t)<<8 | uint16(id), uint16(d.hidInterface())}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.script == nil {
		d.script = map[Setup][]Answer{}
	}
	d.script[s] = []Answer{a}
}

// Interrupt queues reports for the interrupt IN endpoint; an Answer with
// an Err makes that read fail.
func (d *Device) Interrupt(reports ...Answer) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.interrupts = append(d.interrupts, reports...)
	d.wake()
}

// Unplug takes the device off its bus: what its handles are asked fails
// with CodeNoDevice, and the bus no longer lists it.
func (d *Device) Unplug() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.gone = true
	d.gen++
	d.wake()
}

// Plug puts it back, at the next address, as a re-plugged device comes back.
func (d *Device) Plug() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.gone = false
	d.Address++
}

// Waiting is how many interrupt reads wait for a report.
func (d *Device) Waiting() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.waiting
}

// Transfers is what the device was asked, in order.
func (d *Device) Transfers() []Transfer {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]Transfer(nil), d.log...)
}

// Writes are the OUT control transfers the device took (SET_REPORT and
// others), in order.
func (d *Device) Writes() []Transfer {
	var out []Transfer
	for _, t := range d.Transfers() {
		if t.Kind == "control" && t.Setup.RequestType&0x80 == 0 && t.Err == 0 {
			out = append(out, t)
		}
	}
	return out
}

func (d *Device) wake() {
	if d.arrived != nil {
		close(d.arrived)
	}
	d.arrived = make(chan struct{})
}

func (d *Device) hidInterface() int {
	for _, i := range d.interfaces() {
		if i.Class == 3 {
			return i.Number
		}
	}
	return 0
}

func (d *Device) interfaces() []Interface {
	if d.Interfaces != nil {
		return d.Interfaces
	}
	return []Interface{{Number: 0, Class: 3, Endpoints: []Endpoint{{Address: 0x81, Attributes: 0x03, MaxPacket: 8}}}}
}

func (d *Device) candidate() usb.Candidate {
	return usb.Candidate{Bus: d.Bus, Address: d.Address, Port: d.Port, VendorID: d.VendorID, ProductID: d.ProductID}
}

// answer is the device's answer to a control request.
func (d *Device) answer(s Setup) ([]byte, usb.Code) {
	if a, ok := d.script[s]; ok && len(a) > 0 {
		next := a[0]
		if len(a) > 1 {
			d.script[s] = a[1:]
		}
		return next.Data, next.Err
	}
	if d.scriptOnly {
		return nil, usb.CodePipe
	}
	hid := func(s Setup) (Interface, bool) {
		for _, i := range d.interfaces() {
			if i.Number == int(s.Index) && i.Class == 3 && i.HIDLength >= 0 {
				return i, true
			}
		}
		return Interface{}, false
	}
	switch {
	case s.RequestType == 0x80 && s.Request == 0x06:
		switch s.Value >> 8 {
		case 0x01:
			return d.deviceDescriptor(), 0
		case 0x02:
			if s.Value&0xff == 0 {
				return d.configDescriptor(), 0
			}
		case 0x03:
			if s.Value&0xff == 0 {
				return []byte{4, 0x03, 0x09, 0x04}, 0
			}
			if str, ok := d.stringAt(uint8(s.Value)); ok {
				return stringDescriptor(str), 0
			}
		}
	case s.RequestType == 0x81 && s.Request == 0x06 && s.Value>>8 == 0x21:
		if i, ok := hid(s); ok {
			return d.hidDescriptor(i), 0
		}
	case s.RequestType == 0x81 && s.Request == 0x06 && s.Value>>8 == 0x22:
		if _, ok := hid(s); ok {
			return d.ReportDescriptor, 0
		}
	case s.RequestType == 0x80 && s.Request == 0x00:
		return []byte{0, 0}, 0
	case s.RequestType == 0x02 && s.Request == 0x01:
		return nil, 0
	case s.RequestType == 0x21 && s.Request == 0x09:
		return nil, 0
	}
	return nil, usb.CodePipe
}

func (d *Device) stringAt(i uint8) (string, bool) {
	switch {
	case i == 1 && d.Manufacturer != "":
		return d.Manufacturer, true
	case i == 2 && d.Product != "":
		return d.Product, true
	case i == 3 && d.Serial != "":
		return d.Serial, true
	}
	s, ok := d.Strings[i]
	return s, ok
}

func (d *Device) deviceDescriptor() []byte {
	b := []byte{18, 0x01, 0x00, 0x02, 0, 0, 0, 64, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}
	binary.LittleEndian.PutUint16(b[8:], d.VendorID)
	binary.LittleEndian.PutUint16(b[10:], d.ProductID)
	binary.LittleEndian.PutUint16(b[12:], d.Release)
	for i, s := range []string{d.Manufacturer, d.Product, d.Serial} {
		if s != "" {
			b[14+i] = uint8(i + 1)
		}
	}
	return b
}

func (d *Device) configDescriptor() []byte {
	ifs := d.interfaces()
	b := []byte{9, 0x02, 0, 0, uint8(len(ifs)), 1, 0, 0x80, 50}
	for _, i := range ifs {
		b = append(b, 9, 0x04, uint8(i.Number), 0, uint8(len(i.Endpoints)), i.Class, 0, 0, 0)
		if i.Class == 3 && i.HIDLength >= 0 {
			b = append(b, d.hidDescriptor(i)...)
		}
		for _, e := range i.Endpoints {
			b = append(b, 7, 0x05, e.Address, e.Attributes, uint8(e.MaxPacket), uint8(e.MaxPacket>>8), 10)
		}
	}
	binary.LittleEndian.PutUint16(b[2:], uint16(len(b)))
	return b
}

func (d *Device) hidDescriptor(i Interface) []byte {
	n := i.HIDLength
	if n == 0 {
		n = len(d.ReportDescriptor)
	}
	return []byte{9, 0x21, 0x11, 0x01, 0, 1, 0x22, uint8(n), uint8(n >> 8)}
}

func stringDescriptor(s string) []byte {
	b := []byte{0, 0x03}
	for _, r := range s {
		b = binary.LittleEndian.AppendUint16(b, uint16(r))
	}
	b[0] = uint8(len(b))
	return b
}

// handle is an opened Device.
type handle struct {
	d       *Device
	gen     int
	claimed int // interface, -1 for none
}

func (h *handle) alive() bool { return !h.d.gone && h.gen == h.d.gen }

func (h *handle) Control(rType, request uint8, value, index uint16, data []byte, _ time.Duration) (int, error) {
	d := h.d
	d.mu.Lock()
	defer d.mu.Unlock()
	s := Setup{rType, request, value, index}
	t := Transfer{Kind: "control", Setup: s, Length: len(data)}
	defer func() { d.log = append(d.log, t) }()
	if !h.alive() {
		t.Err = usb.CodeNoDevice
		return 0, t.Err
	}
	out, code := d.answer(s)
	if code != 0 {
		t.Err = code
		return 0, code
	}
	if rType&0x80 == 0 {
		t.Data = append([]byte(nil), data...)
		return len(data), nil
	}
	n := copy(data, out)
	t.Data = append([]byte(nil), data[:n]...)
	return n, nil
}

func (h *handle) Claim(config, iface int) error {
	d := h.d
	d.mu.Lock()
	defer d.mu.Unlock()
	t := Transfer{Kind: "claim", Setup: Setup{Value: uint16(config), Index: uint16(iface)}}
	defer func() { d.log = append(d.log, t) }()
	switch {
	case !h.alive():
		t.Err = usb.CodeNoDevice
	case len(d.ClaimErrs) > 0 && d.ClaimErrs[0] != 0:
		t.Err = d.ClaimErrs[0]
		d.ClaimErrs = d.ClaimErrs[1:]
	default:
		if len(d.ClaimErrs) > 0 {
			d.ClaimErrs = d.ClaimErrs[1:]
		}
		h.claimed = iface
		return nil
	}
	return t.Err
}

func (h *handle) Interrupt(ctx context.Context, endpoint uint8, buf []byte) (int, error) {
	d := h.d
	for {
		d.mu.Lock()
		switch {
		case !h.alive():
			d.log = append(d.log, Transfer{Kind: "interrupt", Setup: Setup{Index: uint16(endpoint)}, Length: len(buf), Err: usb.CodeNoDevice})
			d.mu.Unlock()
			return 0, usb.CodeNoDevice
		case h.claimed < 0:
			d.mu.Unlock()
			return 0, usb.CodeNotFound
		case len(d.interrupts) > 0:
			a := d.interrupts[0]
			d.interrupts = d.interrupts[1:]
			n := copy(buf, a.Data)
			t := Transfer{Kind: "interrupt", Setup: Setup{Index: uint16(endpoint)}, Length: len(buf), Data: append([]byte(nil), buf[:n]...), Err: a.Err}
			d.log = append(d.log, t)
			d.mu.Unlock()
			if a.Err != 0 {
				return 0, a.Err
			}
			if len(a.Data) > len(buf) {
				return n, usb.CodeOverflow
			}
			return n, nil
		}
		if d.arrived == nil {
			d.arrived = make(chan struct{})
		}
		wait := d.arrived
		d.waiting++
		d.mu.Unlock()
		var timeout bool
		select {
		case <-wait:
		case <-ctx.Done():
			timeout = true
		}
		d.mu.Lock()
		d.waiting--
		d.mu.Unlock()
		if timeout {
			return 0, usb.CodeTimeout
		}
	}
}

func (h *handle) Reset() error {
	d := h.d
	d.mu.Lock()
	defer d.mu.Unlock()
	if !h.alive() {
		return usb.CodeNoDevice
	}
	h.claimed = -1
	return nil
}

func (h *handle) Close() error { return nil }
