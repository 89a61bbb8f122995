package hiddev

import (
	"fmt"
	"slices"
	"sync"

	"gonut/test/usbsim/devfile"
	"gonut/test/usbsim/hiddesc"
	"gonut/test/usbsim/usbip"
)

// Request codes.
const (
	reqGetStatus     = 0x00
	reqClearFeature  = 0x01
	reqSetFeature    = 0x03
	reqSetAddress    = 0x05
	reqGetDescriptor = 0x06
	reqGetConfig     = 0x08
	reqSetConfig     = 0x09
	reqGetInterface  = 0x0a
	reqSetInterface  = 0x0b

	hidGetReport   = 0x01
	hidGetIdle     = 0x02
	hidGetProtocol = 0x03
	hidSetReport   = 0x09
	hidSetIdle     = 0x0a
	hidSetProtocol = 0x0b
)

// Set is one SET_REPORT the device received.
type Set struct {
	Report hiddesc.Report
	Data   []byte
}

func (s Set) String() string { return s.Report.Line(s.Data) }

type queued struct {
	data []byte
	done chan bool
}

// Device is a running HID device. Its methods are safe for concurrent use.
type Device struct {
	file  *devfile.Device
	busid string
	ready chan struct{}

	mu         sync.Mutex
	reports    map[hiddesc.Report][]byte // answers that differ from the file's
	sets       []Set
	queue      []queued
	stall      bool
	mute       bool
	connected  bool
	configured uint8
	idle       uint8
	protocol   uint8
}

// New makes a device from a device file; busid is the name it is exported
// under (as sysfs names USB devices, e.g. "1-1").
func New(file *devfile.Device, busid string) *Device {
	return &Device{file: file, busid: busid, ready: make(chan struct{}, 1), reports: map[hiddesc.Report][]byte{}, protocol: 1}
}

// File is the device file the device was made from.
func (d *Device) File() *devfile.Device { return d.file }

// Info implements usbip.Device.
func (d *Device) Info() usbip.DeviceInfo {
	return usbip.DeviceInfo{
		Path: "/sys/devices/usbsim/" + d.busid, BusID: d.busid, BusNum: 1, DevNum: 2, Speed: usbip.SpeedFull,
		VendorID: d.file.VendorID, ProductID: d.file.ProductID, BCDDevice: d.file.BCDDevice,
		ConfigurationValue: configValue, NumConfigurations: 1,
		Interfaces: []usbip.Interface{{Class: 3}},
	}
}

// Report is what GET_REPORT answers for r: the last SET_REPORT or
// SetReport, else the device file's value, else zeros of the length the
// descriptor gives it (with the ID byte first). ok is false for a report
// the descriptor does not define.
func (d *Device) Report(r hiddesc.Report) (data []byte, ok bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.report(r)
}

func (d *Device) report(r hiddesc.Report) ([]byte, bool) {
	if b, ok := d.reports[r]; ok {
		return slices.Clone(b), true
	}
	if b, ok := d.file.Reports[r]; ok {
		return slices.Clone(b), true
	}
	n := d.file.Layout.Len(r)
	if n == 0 {
		return nil, false
	}
	b := make([]byte, n)
	if d.file.Layout.UsesIDs {
		b[0] = r.ID
	}
	return b, true
}

// SetReport changes what GET_REPORT answers for r from now on, as the
// device's own state changing would (a feature report of the charge, say).
func (d *Device) SetReport(r hiddesc.Report, data []byte) error {
	if err := d.file.Layout.Check(r, data); err != nil {
		return fmt.Errorf("%s %02x: %v", r.Kind, r.ID, err)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.reports[r] = slices.Clone(data)
	return nil
}

// SendInput queues an input report for the interrupt pipe and makes it
// GET_REPORT's answer for that input report. The channel receives true
// once a host took the report, false if the host let go of the device
// first. It is an error to send while no host has the device.
func (d *Device) SendInput(data []byte) (<-chan bool, error) {
	if !d.IsConnected() {
		return nil, fmt.Errorf("no host has the device")
	}
	id := uint8(0)
	if d.file.Layout.UsesIDs && len(data) > 0 {
		id = data[0]
	}
	r := hiddesc.Report{Kind: hiddesc.Input, ID: id}
	if err := d.SetReport(r, data); err != nil {
		return nil, err
	}
	done := make(chan bool, 1)
	d.mu.Lock()
	d.queue = append(d.queue, queued{slices.Clone(data), done})
	d.mu.Unlock()
	d.signal()
	return done, nil
}

// Sets lists the SET_REPORTs received so far, in order.
func (d *Device) Sets() []Set {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.sets)
}

// ClearSets forgets the SET_REPORTs received so far.
func (d *Device) ClearSets() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.sets = nil
}

// SetStall makes the HID requests (GET_REPORT, SET_REPORT, ...) fail with a
// STALL handshake, and holds back interrupt reports, while on. The
// standard requests still work: the USB side of a UPS keeps going when its
// firmware does not.
func (d *Device) SetStall(on bool) {
	d.mu.Lock()
	d.stall = on
	d.mu.Unlock()
	d.signal()
}

// SetMute leaves the HID requests unanswered (the host times out) and holds
// back interrupt reports while on.
func (d *Device) SetMute(on bool) {
	d.mu.Lock()
	d.mute = on
	d.mu.Unlock()
	d.signal()
}

func (d *Device) signal() {
	select {
	case d.ready <- struct{}{}:
	default:
	}
}

// Connected implements usbip.Device. A newly attached device sends the
// device file's input reports first; reports still queued when the host
// let go are dropped.
func (d *Device) Connected(on bool) {
	d.mu.Lock()
	for _, q := range d.queue {
		q.done <- false
	}
	d.queue = nil
	d.connected, d.configured = on, 0
	if on {
		for _, b := range d.file.Inputs {
			d.queue = append(d.queue, queued{b, make(chan bool, 1)})
		}
	}
	d.mu.Unlock()
	d.signal()
}

// IsConnected tells whether a host has the device.
func (d *Device) IsConnected() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.connected
}

// InterruptIn implements usbip.Device: endpoint 1 is the only one.
func (d *Device) InterruptIn(ep uint8) bool { return ep == interruptEP&0x0f }

// InputReady implements usbip.Device.
func (d *Device) InputReady() <-chan struct{} { return d.ready }

// TakeInput implements usbip.Device.
func (d *Device) TakeInput(ep uint8) ([]byte, func(), bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.InterruptIn(ep) || len(d.queue) == 0 || d.stall || d.mute {
		return nil, nil, false
	}
	q := d.queue[0]
	d.queue = d.queue[1:]
	return q.data, func() { q.done <- true }, true
}

// Control implements usbip.Device.
func (d *Device) Control(s usbip.Setup, out []byte) ([]byte, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	typ, recipient := s.RequestType>>5&3, s.RequestType&0x1f
	switch {
	case typ == 0: // standard
		return d.standard(s, recipient)
	case typ == 1 && recipient == 1 && s.Index == 0: // HID class, our interface
		if d.mute {
			return nil, usbip.ErrNoAnswer
		}
		if d.stall {
			return nil, usbip.ErrStall
		}
		return d.class(s, out)
	}
	return nil, usbip.ErrStall
}

func (d *Device) standard(s usbip.Setup, recipient uint8) ([]byte, error) {
	switch s.Request {
	case reqGetDescriptor:
		return d.descriptor(s, recipient)
	case reqGetStatus:
		if recipient == 2 && s.Index&0x7f != 0 && s.Index != interruptEP {
			return nil, usbip.ErrStall
		}
		return []byte{0, 0}, nil
	case reqClearFeature, reqSetFeature, reqSetAddress:
		return nil, nil
	case reqGetConfig:
		return []byte{d.configured}, nil
	case reqSetConfig:
		if s.Value > configValue {
			return nil, usbip.ErrStall
		}
		d.configured = uint8(s.Value)
		return nil, nil
	case reqGetInterface:
		return []byte{0}, nil
	case reqSetInterface:
		if s.Value != 0 || s.Index != 0 {
			return nil, usbip.ErrStall
		}
		return nil, nil
	}
	return nil, usbip.ErrStall
}

func (d *Device) descriptor(s usbip.Setup, recipient uint8) ([]byte, error) {
	index := uint8(s.Value)
	switch uint8(s.Value >> 8) {
	case dtDevice:
		return deviceDescriptor(d.file), nil
	case dtConfig:
		return configDescriptor(d.file), nil
	case dtString:
		if index == 0 {
			return []byte{4, dtString, langEnglishUS & 0xff, langEnglishUS >> 8}, nil
		}
		if text, ok := d.file.Strings[index]; ok {
			return stringDescriptor(text), nil
		}
	case dtHID:
		return hidDescriptor(d.file), nil
	case dtReport:
		if recipient == 1 && s.Index == 0 {
			return slices.Clone(d.file.ReportDescriptor), nil
		}
	}
	return nil, usbip.ErrStall // device qualifier, BOS, missing strings...
}

func (d *Device) class(s usbip.Setup, out []byte) ([]byte, error) {
	r := hiddesc.Report{Kind: hiddesc.Kind(s.Value >> 8), ID: uint8(s.Value)}
	switch s.Request {
	case hidGetReport:
		if b, ok := d.report(r); ok {
			return b, nil
		}
	case hidSetReport:
		if (r.Kind == hiddesc.Feature || r.Kind == hiddesc.Output) && d.file.Layout.Has(r) {
			d.sets = append(d.sets, Set{r, slices.Clone(out)})
			d.reports[r] = slices.Clone(out)
			return nil, nil
		}
	case hidGetIdle:
		return []byte{d.idle}, nil
	case hidSetIdle:
		d.idle = uint8(s.Value >> 8)
		return nil, nil
	case hidGetProtocol:
		return []byte{d.protocol}, nil
	case hidSetProtocol:
		d.protocol = uint8(s.Value)
		return nil, nil
	}
	return nil, usbip.ErrStall
}

var _ usbip.Device = (*Device)(nil)
