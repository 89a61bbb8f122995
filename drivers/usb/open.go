package usb

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"gonut/internal/ctxsleep"
)

// Selector is how a driver chooses its device and what it needs of it.
type Selector struct {
	// Matcher holds ups.conf's matching options; nil takes any device.
	Matcher *Matcher
	// Known, when set, tells from the IDs alone whether the driver can
	// use a device at all (its IDTable knows the vendor); a device it
	// cannot is not opened.
	Known func(vendorID, productID uint16) bool
	// Claim is the driver's own choice (NUT's subdriver claim), made
	// once the device's strings are read: whether it takes the device,
	// and which interface. Nil takes any device, interface 0.
	Claim func(id Identity) (Interface, bool)
	// Accept, when set, has Open read the HID report descriptor and hand
	// it over: a device whose descriptor Accept refuses is skipped, after
	// the other length the device gives for it was tried too. Without
	// Accept, the report descriptor is not read (NUT's nutdrv_qx).
	Accept func(id Identity, reportDescriptor []byte) error
	// AllowDuplicates: a matching device that another program holds
	// (claim: resource busy) is skipped for the next one, rather than
	// being an error (NUT 2.8.1's allow_duplicates).
	AllowDuplicates bool
	// Log gets NUT's debug lines about each device tried; nil: none.
	Log *slog.Logger
}

// Interface is the part of a device a driver talks to.
type Interface struct {
	Config int // configuration index: 0, the first (NUT's usb_config_index)
	Number int // interface number (NUT's usb_hid_rep_index)
	// DescIndex is the HID descriptor index (usb_hid_desc_index). When 0,
	// Eaton's devices of release 2.02 get 1, as NUT gives them.
	DescIndex int
	// EndpointIn is the interrupt IN endpoint's address; 0: the first
	// the interface has.
	EndpointIn uint8
}

const (
	controlTimeout = 5 * time.Second // NUT's USB_TIMEOUT
	maxReportSize  = 0x1800          // NUT's MAX_REPORT_SIZE for a report descriptor
	stringTries    = 3               // NUT's MAX_RETRY for each string of a device
	stringPause    = 50 * time.Millisecond
)

// DebugLevel is the slog level of NUT's debug level n (upsdebugx(n, ...)):
// slog.LevelDebug for 1, one lower for each level above.
func DebugLevel(n int) slog.Level { return slog.LevelDebug - slog.Level(n-1) }

// Open finds the first device of the bus that the selector takes, claims
// its interface and, with Accept, reads its HID report descriptor: what
// NUT's libusb1.c does for usbhid-ups, logging what it does in NUT's
// words. ErrNotFound when no device fits.
func Open(ctx context.Context, bus Bus, sel Selector) (*Conn, error) {
	c := &Conn{bus: bus, sel: sel}
	if err := c.find(ctx, sel.Matcher, sel.Accept != nil); err != nil {
		return nil, err
	}
	return c, nil
}

// find walks the bus for the device, and on success fills in c.
func (c *Conn) find(ctx context.Context, m *Matcher, readReport bool) error {
	cands, err := c.bus.Devices()
	if err != nil {
		return fmt.Errorf("listing USB devices: %w", err)
	}
	openErrs, accessErrs, tried := 0, 0, 0
	for i, cand := range cands {
		if err := ctx.Err(); err != nil {
			return err
		}
		c.debug(2, "Checking device %d of %d (%04X/%04X)", i+1, len(cands), cand.VendorID, cand.ProductID)
		if c.sel.Known != nil && !c.sel.Known(cand.VendorID, cand.ProductID) {
			c.debug(3, "Device %04X/%04X is none the driver knows - skipping", cand.VendorID, cand.ProductID)
			continue
		}
		tried++
		h, err := c.bus.Open(cand)
		if err != nil {
			c.debug(1, "Failed to open device (%04X/%04X), skipping: %v", cand.VendorID, cand.ProductID, err)
			openErrs++
			if errors.Is(err, CodeAccess) {
				accessErrs++
			}
			continue
		}
		err = c.try(ctx, h, cand, m, readReport)
		if err == nil {
			return nil
		}
		h.Close()
		if !errors.Is(err, errSkip) {
			return err
		}
	}
	c.debug(2, "libusb1: No appropriate HID device found")
	switch {
	case len(cands) == 0:
		c.warn("libusb1: Could not open any HID devices: no USB buses (or devices) found")
	case openErrs > 0 && openErrs == accessErrs:
		c.warn("libusb1: Could not open any HID devices: insufficient permissions on everything")
		if tried > openErrs {
			c.warn(fmt.Sprintf("libusb1: except %d devices tried but not matching the requested criteria", tried-openErrs))
		}
	}
	return ErrNotFound
}

// errSkip: this device is not the one, try the next.
var errSkip = errors.New("skip")

// try decides on one opened device, and takes it: errSkip when it is not
// the one.
func (c *Conn) try(ctx context.Context, h Handle, cand Candidate, m *Matcher, readReport bool) error {
	id, err := c.identify(ctx, h, cand)
	if err != nil {
		c.debug(2, "Cannot read the device's descriptors, skipping: %v", err)
		return errSkip
	}
	c.debug(2, "Trying to match device")
	ifc := Interface{}
	if c.sel.Claim != nil {
		var ok bool
		if ifc, ok = c.sel.Claim(id); !ok {
			c.debug(2, "failed to match a subdriver to vendor and/or product ID")
			c.debug(2, "Device does not match - skipping")
			return errSkip
		}
	}
	if ok, why := m.Match(id); !ok {
		c.debug(2, "%s", why)
		c.debug(2, "Device does not match - skipping")
		return errSkip
	}
	c.debug(2, "Device matches")
	eaton202 := id.VendorID == 0x0463 && id.Release == 0x0202
	if eaton202 && ifc.DescIndex == 0 {
		ifc.DescIndex = 1
	}

	c.debug(2, "Reading configuration descriptor %d", ifc.Config+1)
	cfg, err := c.configDescriptor(h, ifc.Config)
	if err != nil {
		c.debug(2, "Couldn't retrieve config descriptor [%04x:%04x]@%d: %v", id.VendorID, id.ProductID, ifc.Config, err)
		return errSkip
	}
	desc, ok := cfg.iface(ifc.Number)
	if !ok {
		c.debug(2, "The device has no interface %d - skipping", ifc.Number)
		return errSkip
	}
	if err := c.claim(h, cfg.Value, ifc.Number); err != nil {
		if c.sel.AllowDuplicates && errors.Is(err, CodeBusy) {
			c.debug(2, "Configured to allow_duplicates so looking for another similar device")
			return errSkip
		}
		if errors.Is(err, CodeNoDevice) {
			return errSkip
		}
		return fmt.Errorf("Can't claim USB device [%04x:%04x]@%d/%d/%d: %w",
			id.VendorID, id.ProductID, ifc.Config, ifc.Number, ifc.DescIndex, err)
	}
	c.debug(2, "Claimed interface %d successfully", ifc.Number)
	if ifc.EndpointIn == 0 {
		for _, e := range desc.Endpoints {
			if e.interruptIn() {
				ifc.EndpointIn = e.Address
				break
			}
		}
	}

	var report []byte
	if readReport {
		if report, err = c.reportDescriptor(h, id, ifc, desc.HIDLength, eaton202); err != nil {
			c.debug(2, "%v", err)
			return errSkip
		}
		c.debug(2, "Report descriptor retrieved (Reportlen = %d)", len(report))
		c.debug(2, "Found HID device")
	}
	c.h, c.id, c.iface = h, id, ifc
	if readReport {
		c.report = report
	}
	c.matcher = m.Pin(id)
	return nil
}

// identify reads what the device says of itself, and logs it as NUT does.
func (c *Conn) identify(ctx context.Context, h Handle, cand Candidate) (Identity, error) {
	raw := make([]byte, 18)
	n, err := h.Control(rtDeviceIn, reqGetDescriptor, descDevice<<8, 0, raw, controlTimeout)
	if err != nil {
		return Identity{}, err
	}
	dd, err := parseDeviceDescriptor(raw[:n])
	if err != nil {
		return Identity{}, err
	}
	id := Identity{
		VendorID: cand.VendorID, ProductID: cand.ProductID, Release: dd.Release,
		Bus: fmt.Sprintf("%03d", cand.Bus), Device: fmt.Sprintf("%03d", cand.Address),
	}
	if cand.Port > 0 {
		id.BusPort = fmt.Sprintf("%03d", cand.Port)
	}
	for _, s := range []struct {
		index uint8
		to    *string
		what  string
	}{{dd.Manufacturer, &id.Vendor, "Manufacturer"}, {dd.Product, &id.Product, "Product"}, {dd.Serial, &id.Serial, "Serial Number"}} {
		if s.index == 0 {
			continue
		}
		for try := 1; try <= stringTries; try++ {
			v, err := readString(h, s.index, controlTimeout)
			if err == nil && v != "" {
				*s.to = v
				break
			}
			if errors.Is(err, ErrGone) {
				return id, err
			}
			if try < stringTries {
				c.debug(1, "get %s string failed, retrying...", s.what)
				if err := ctxsleep.Sleep(ctx, stringPause); err != nil {
					return id, err
				}
			}
		}
	}
	unknown := func(s string) string {
		if s == "" {
			return "unknown"
		}
		return s
	}
	c.debug(2, "- VendorID: %04x", id.VendorID)
	c.debug(2, "- ProductID: %04x", id.ProductID)
	c.debug(2, "- Manufacturer: %s", unknown(id.Vendor))
	c.debug(2, "- Product: %s", unknown(id.Product))
	c.debug(2, "- Serial Number: %s", unknown(id.Serial))
	c.debug(2, "- Bus: %s", id.Bus)
	c.debug(2, "- Bus Port: %s", unknown(id.BusPort))
	c.debug(2, "- Device: %s", id.Device)
	c.debug(2, "- Device release number: %04x", id.Release)
	return id, nil
}

// readString reads a string descriptor in the device's first language,
// as libusb_get_string_descriptor_ascii does; a device whose list of
// languages is broken is read in US English, as NUT master does.
func readString(h Handle, index uint8, timeout time.Duration) (string, error) {
	buf := make([]byte, 255)
	lang := uint16(0x0409)
	n, err := h.Control(rtDeviceIn, reqGetDescriptor, descString<<8, 0, buf, timeout)
	if err != nil && errors.Is(err, ErrGone) {
		return "", err
	}
	if err == nil && n >= 4 && buf[0] >= 4 && buf[1] == descString {
		lang = uint16(buf[2]) | uint16(buf[3])<<8
	}
	n, err = h.Control(rtDeviceIn, reqGetDescriptor, descString<<8|uint16(index), lang, buf, timeout)
	if err != nil {
		return "", err
	}
	return decodeString(buf[:n])
}

// configDescriptor reads configuration index from the device.
func (c *Conn) configDescriptor(h Handle, index int) (configDescriptor, error) {
	head := make([]byte, 9)
	value := uint16(descConfig<<8 | index&0xff)
	n, err := h.Control(rtDeviceIn, reqGetDescriptor, value, 0, head, controlTimeout)
	if err != nil {
		return configDescriptor{}, err
	}
	if n < 9 {
		return configDescriptor{}, fmt.Errorf("configuration descriptor too short (%d bytes)", n)
	}
	full := make([]byte, int(head[2])|int(head[3])<<8)
	if len(full) < 9 {
		return configDescriptor{}, fmt.Errorf("configuration descriptor of total length %d", len(full))
	}
	n, err = h.Control(rtDeviceIn, reqGetDescriptor, value, 0, full, controlTimeout)
	if err != nil {
		return configDescriptor{}, err
	}
	return parseConfigDescriptor(full[:n])
}

// claim claims the interface, as libusb1.c does: four tries.
func (c *Conn) claim(h Handle, config, iface int) error {
	var err error
	for try := 0; try < 4; try++ {
		if err = h.Claim(config, iface); err == nil {
			return nil
		}
		c.debug(2, "failed to claim USB device: %v", err)
		if errors.Is(err, CodeNoDevice) || errors.Is(err, CodeBusy) && c.sel.AllowDuplicates {
			break
		}
	}
	return err
}

// reportDescriptor reads the HID report descriptor. Its length comes from
// the HID descriptor, which NUT reads two ways: asked of the device
// (method 1), and found among the configuration's descriptors (method 2).
// Method 2 goes first (on some broken devices only it is right, such as
// Tripp Lite's Smart1000LCD), except on Eaton's release 2.02 devices, and
// when the descriptor read with one length is refused, the other is tried
// (NUT after 2.8.3, for devices that give a wrong wDescriptorLength). A
// device that returns fewer bytes than asked gives what it returned.
func (c *Conn) reportDescriptor(h Handle, id Identity, ifc Interface, method2 int, eaton202 bool) ([]byte, error) {
	method1 := -1
	buf := make([]byte, 9)
	n, err := h.Control(rtInterfaceIn, reqGetDescriptor, uint16(descHID<<8|ifc.DescIndex&0xff), uint16(ifc.Number), buf, controlTimeout)
	if err != nil {
		c.debug(2, "Unable to get HID descriptor (%v)", err)
	} else if method1, err = parseHIDDescriptor(buf[:n]); err != nil {
		c.debug(2, "%v", err)
	}
	c.debug(3, "HID descriptor length (method 1) %d", method1)
	c.debug(3, "HID descriptor length (method 2) %d", method2)

	lengths := []int{method2, method1}
	if eaton202 {
		c.debug(1, "Eaton device v2.02. Using full report descriptor")
		lengths = []int{method1, method2}
	} else if method2 < 0 {
		lengths = []int{method1}
	}
	if method1 >= 0 && method2 >= 0 && method1 != method2 {
		c.debug(2, "Warning: two different HID descriptors retrieved (Reportlen = %d vs. %d)", method1, method2)
	} else if method1 == method2 {
		lengths = lengths[:1]
	}
	if method1 < 0 && method2 < 0 {
		return nil, errors.New("Unable to retrieve any HID descriptor")
	}
	var last error
	for _, want := range lengths {
		if want < 0 {
			continue
		}
		c.debug(2, "Trying HID descriptor length %d", want)
		if want > maxReportSize {
			last = fmt.Errorf("HID descriptor too long %d (max %d)", want, maxReportSize)
			c.debug(2, "%v", last)
			continue
		}
		rd := make([]byte, want)
		n, err := h.Control(rtInterfaceIn, reqGetDescriptor, uint16(descReport<<8|ifc.DescIndex&0xff), uint16(ifc.Number), rd, controlTimeout)
		if err != nil {
			last = fmt.Errorf("Unable to get Report descriptor: %w", err)
			c.debug(2, "%v", last)
			if errors.Is(err, CodeNoDevice) {
				return nil, last
			}
			continue
		}
		if n < want {
			c.debug(2, "Warning: report descriptor too short (expected %d, got %d)", want, n)
			rd = rd[:n]
		}
		if err := c.sel.Accept(id, rd); err != nil {
			last = fmt.Errorf("Caller doesn't like this device: %w", err)
			c.debug(2, "%v", last)
			continue
		}
		return rd, nil
	}
	return nil, last
}

func (c *Conn) debug(level int, format string, args ...any) {
	if c.sel.Log != nil {
		c.sel.Log.Log(context.Background(), DebugLevel(level), fmt.Sprintf(format, args...))
	}
}

func (c *Conn) warn(msg string) {
	if c.sel.Log != nil {
		c.sel.Log.Warn(msg)
	}
}

// Identify opens a device the bus lists, reads what it says of itself
// (its IDs, strings, bus and address: Identity) and closes it, claiming
// nothing: what nut-scanner prints of a device.
func Identify(ctx context.Context, bus Bus, cand Candidate) (Identity, error) {
	h, err := bus.Open(cand)
	if err != nil {
		return Identity{}, err
	}
	defer h.Close()
	c := &Conn{bus: bus}
	return c.identify(ctx, h, cand)
}
