package usbip

import (
	"encoding/binary"
	"fmt"
	"io"
)

// Version is the protocol version of every operation header.
const Version = 0x0111

// Operation codes (the connection's first message) and URB commands.
const (
	OpReqDevlist = 0x8005
	OpRepDevlist = 0x0005
	OpReqImport  = 0x8003
	OpRepImport  = 0x0003

	CmdSubmit = 1
	CmdUnlink = 2
	RetSubmit = 3
	RetUnlink = 4
)

// Operation status codes (tools/usb/usbip: ST_OK, ST_NA, ...).
const (
	StOK      = 0
	StNA      = 1
	StDevBusy = 2
	StDevErr  = 3
	StNoDev   = 4
	StError   = 5
)

// URB status values, negative errnos as Linux gives them back.
const (
	StatusOK         = 0
	StatusStall      = -32  // -EPIPE
	StatusOverflow   = -75  // -EOVERFLOW
	StatusUnlinked   = -104 // -ECONNRESET
	StatusShortRead  = -121 // -EREMOTEIO: short transfer with URB_SHORT_NOT_OK
	urbShortNotOK    = 0x0001
	maxTransfer      = 1 << 20 // largest transfer buffer accepted from the wire
	deviceInfoLength = 312
)

// Speeds, as enum usb_device_speed.
const (
	SpeedLow  = 1
	SpeedFull = 2
	SpeedHigh = 3
)

// DeviceInfo is what OP_REP_DEVLIST and OP_REP_IMPORT say of a device.
type DeviceInfo struct {
	Path                                  string
	BusID                                 string
	BusNum, DevNum, Speed                 uint32
	VendorID, ProductID, BCDDevice        uint16
	Class, SubClass, Protocol             uint8
	ConfigurationValue, NumConfigurations uint8
	Interfaces                            []Interface
}

// Interface is one interface's class triple in OP_REP_DEVLIST.
type Interface struct{ Class, SubClass, Protocol uint8 }

// OpHeader starts every operation message.
type OpHeader struct {
	Version, Code uint16
	Status        uint32
}

func (h OpHeader) append(b []byte) []byte {
	b = binary.BigEndian.AppendUint16(b, h.Version)
	b = binary.BigEndian.AppendUint16(b, h.Code)
	return binary.BigEndian.AppendUint32(b, h.Status)
}

// ReadOpHeader reads an operation header.
func ReadOpHeader(r io.Reader) (OpHeader, error) {
	var b [8]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return OpHeader{}, err
	}
	return OpHeader{binary.BigEndian.Uint16(b[0:]), binary.BigEndian.Uint16(b[2:]), binary.BigEndian.Uint32(b[4:])}, nil
}

func putString(b []byte, s string, n int) []byte {
	field := make([]byte, n)
	copy(field[:n-1], s) // always NUL-terminated
	return append(b, field...)
}

// AppendDevice encodes the 312-byte usbip_usb_device of OP_REP_IMPORT
// (and of each OP_REP_DEVLIST entry, followed by the interfaces).
func (d DeviceInfo) AppendDevice(b []byte) []byte {
	b = putString(b, d.Path, 256)
	b = putString(b, d.BusID, 32)
	b = binary.BigEndian.AppendUint32(b, d.BusNum)
	b = binary.BigEndian.AppendUint32(b, d.DevNum)
	b = binary.BigEndian.AppendUint32(b, d.Speed)
	b = binary.BigEndian.AppendUint16(b, d.VendorID)
	b = binary.BigEndian.AppendUint16(b, d.ProductID)
	b = binary.BigEndian.AppendUint16(b, d.BCDDevice)
	return append(b, d.Class, d.SubClass, d.Protocol, d.ConfigurationValue, d.NumConfigurations, uint8(len(d.Interfaces)))
}

// ParseDevice decodes a usbip_usb_device (without interfaces).
func ParseDevice(b []byte) (DeviceInfo, error) {
	if len(b) < deviceInfoLength {
		return DeviceInfo{}, fmt.Errorf("device record of %d bytes, want %d", len(b), deviceInfoLength)
	}
	cstr := func(b []byte) string {
		for i, c := range b {
			if c == 0 {
				return string(b[:i])
			}
		}
		return string(b)
	}
	d := DeviceInfo{Path: cstr(b[:256]), BusID: cstr(b[256:288])}
	be := binary.BigEndian
	d.BusNum, d.DevNum, d.Speed = be.Uint32(b[288:]), be.Uint32(b[292:]), be.Uint32(b[296:])
	d.VendorID, d.ProductID, d.BCDDevice = be.Uint16(b[300:]), be.Uint16(b[302:]), be.Uint16(b[304:])
	d.Class, d.SubClass, d.Protocol = b[306], b[307], b[308]
	d.ConfigurationValue, d.NumConfigurations = b[309], b[310]
	d.Interfaces = make([]Interface, b[311])
	return d, nil
}

// DevID is the device's id in URB headers: bus number and device number.
func (d DeviceInfo) DevID() uint32 { return d.BusNum<<16 | d.DevNum }

// Header is the 48-byte header of every URB message. Which fields mean
// what depends on Command.
type Header struct {
	Command, Seqnum, DevID, Direction, EP uint32
	// CMD_SUBMIT: transfer flags, buffer length, start frame, ISO packets,
	// interval, setup packet. CMD_UNLINK: UnlinkSeqnum.
	Flags, Length, StartFrame, NumPackets, Interval uint32
	Setup                                           [8]byte
	UnlinkSeqnum                                    uint32
	// RET_SUBMIT: Status, ActualLength, StartFrame, NumPackets, ErrorCount.
	// RET_UNLINK: Status.
	Status       int32
	ActualLength uint32
	ErrorCount   uint32
}

// HeaderLength is the size of every URB message's header.
const HeaderLength = 48

// Append encodes the header.
func (h Header) Append(b []byte) []byte {
	be := binary.BigEndian
	for _, v := range []uint32{h.Command, h.Seqnum, h.DevID, h.Direction, h.EP} {
		b = be.AppendUint32(b, v)
	}
	var rest []uint32
	switch h.Command {
	case CmdSubmit:
		rest = []uint32{h.Flags, h.Length, h.StartFrame, h.NumPackets, h.Interval}
	case CmdUnlink:
		rest = []uint32{h.UnlinkSeqnum}
	case RetSubmit:
		rest = []uint32{uint32(h.Status), h.ActualLength, h.StartFrame, h.NumPackets, h.ErrorCount}
	case RetUnlink:
		rest = []uint32{uint32(h.Status)}
	}
	for _, v := range rest {
		b = be.AppendUint32(b, v)
	}
	if h.Command == CmdSubmit {
		b = append(b, h.Setup[:]...)
	}
	for len(b)%HeaderLength != 0 {
		b = append(b, 0)
	}
	return b
}

// ParseHeader decodes a URB header of HeaderLength bytes.
func ParseHeader(b []byte) Header {
	be := binary.BigEndian
	u := func(i int) uint32 { return be.Uint32(b[4*i:]) }
	h := Header{Command: u(0), Seqnum: u(1), DevID: u(2), Direction: u(3), EP: u(4)}
	switch h.Command {
	case CmdSubmit:
		h.Flags, h.Length, h.StartFrame, h.NumPackets, h.Interval = u(5), u(6), u(7), u(8), u(9)
		copy(h.Setup[:], b[40:48])
	case CmdUnlink:
		h.UnlinkSeqnum = u(5)
	case RetSubmit:
		h.Status, h.ActualLength, h.StartFrame, h.NumPackets, h.ErrorCount = int32(u(5)), u(6), u(7), u(8), u(9)
	case RetUnlink:
		h.Status = int32(u(5))
	}
	return h
}

// Setup is a control transfer's setup packet (the 8 bytes are little-endian
// on the wire, as on the bus).
type Setup struct {
	RequestType, Request uint8
	Value, Index, Length uint16
}

// ParseSetup decodes the 8-byte setup packet.
func ParseSetup(b [8]byte) Setup {
	le := binary.LittleEndian
	return Setup{b[0], b[1], le.Uint16(b[2:]), le.Uint16(b[4:]), le.Uint16(b[6:])}
}

// Bytes encodes the setup packet.
func (s Setup) Bytes() [8]byte {
	var b [8]byte
	b[0], b[1] = s.RequestType, s.Request
	binary.LittleEndian.PutUint16(b[2:], s.Value)
	binary.LittleEndian.PutUint16(b[4:], s.Index)
	binary.LittleEndian.PutUint16(b[6:], s.Length)
	return b
}

// In tells whether the data stage goes to the host.
func (s Setup) In() bool { return s.RequestType&0x80 != 0 }

func (s Setup) String() string {
	return fmt.Sprintf("%02x %02x %04x %04x %d", s.RequestType, s.Request, s.Value, s.Index, s.Length)
}
