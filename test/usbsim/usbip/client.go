package usbip

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"net"
)

// Client is the host side of the protocol, as usbip(8) and vhci-hcd speak
// it: for tests that have no kernel to hand.
type Client struct {
	c     net.Conn
	r     *bufio.Reader
	devid uint32
	seq   uint32
	in    map[uint32]bool // direction of each submitted URB, by seqnum
}

// Devlist asks a server for its devices (OP_REQ_DEVLIST) on a new
// connection c, which it closes.
func Devlist(c net.Conn) ([]DeviceInfo, error) {
	defer c.Close()
	if _, err := c.Write(OpHeader{Version, OpReqDevlist, 0}.append(nil)); err != nil {
		return nil, err
	}
	r := bufio.NewReader(c)
	if err := expectOp(r, OpRepDevlist); err != nil {
		return nil, err
	}
	var n [4]byte
	if _, err := io.ReadFull(r, n[:]); err != nil {
		return nil, err
	}
	var devs []DeviceInfo
	for range binary.BigEndian.Uint32(n[:]) {
		b := make([]byte, deviceInfoLength)
		if _, err := io.ReadFull(r, b); err != nil {
			return nil, err
		}
		d, _ := ParseDevice(b)
		for i := range d.Interfaces {
			var f [4]byte
			if _, err := io.ReadFull(r, f[:]); err != nil {
				return nil, err
			}
			d.Interfaces[i] = Interface{f[0], f[1], f[2]}
		}
		devs = append(devs, d)
	}
	return devs, nil
}

// StatusError is a refused operation.
type StatusError uint32

func (e StatusError) Error() string { return fmt.Sprintf("usbip operation status %d", uint32(e)) }

func expectOp(r io.Reader, code uint16) error {
	h, err := ReadOpHeader(r)
	if err != nil {
		return err
	}
	if h.Version != Version || h.Code != code {
		return fmt.Errorf("got operation %04x version %04x, want %04x", h.Code, h.Version, code)
	}
	if h.Status != StOK {
		return StatusError(h.Status)
	}
	return nil
}

// Import asks for the device busid (OP_REQ_IMPORT) on a new connection c;
// the connection then carries the device's URBs.
func Import(c net.Conn, busid string) (*Client, DeviceInfo, error) {
	b := OpHeader{Version, OpReqImport, 0}.append(nil)
	b = putString(b, busid, 32)
	if _, err := c.Write(b); err != nil {
		return nil, DeviceInfo{}, err
	}
	r := bufio.NewReader(c)
	if err := expectOp(r, OpRepImport); err != nil {
		return nil, DeviceInfo{}, err
	}
	raw := make([]byte, deviceInfoLength)
	if _, err := io.ReadFull(r, raw); err != nil {
		return nil, DeviceInfo{}, err
	}
	d, _ := ParseDevice(raw)
	return &Client{c: c, r: r, devid: d.DevID(), in: map[uint32]bool{}}, d, nil
}

// Close drops the connection: the device is detached.
func (cl *Client) Close() error { return cl.c.Close() }

// Submit sends a CMD_SUBMIT and returns its seqnum. For ep 0, setup is the
// setup packet; out is an OUT transfer's data; length is the transfer
// buffer's size.
func (cl *Client) Submit(ep uint32, in bool, setup Setup, length uint32, flags uint32, out []byte) (uint32, error) {
	cl.seq++
	dir := uint32(0)
	if in {
		dir = 1
	} else {
		length = uint32(len(out))
	}
	h := Header{Command: CmdSubmit, Seqnum: cl.seq, DevID: cl.devid, Direction: dir, EP: ep,
		Flags: flags, Length: length, Interval: 10, Setup: setup.Bytes()}
	cl.in[cl.seq] = in
	_, err := cl.c.Write(append(h.Append(nil), out...))
	return cl.seq, err
}

// Unlink sends a CMD_UNLINK for the URB seq and returns its own seqnum.
func (cl *Client) Unlink(seq uint32) (uint32, error) {
	cl.seq++
	_, err := cl.c.Write(Header{Command: CmdUnlink, Seqnum: cl.seq, DevID: cl.devid, UnlinkSeqnum: seq}.Append(nil))
	return cl.seq, err
}

// Read reads the next RET_SUBMIT or RET_UNLINK, with an IN transfer's data.
func (cl *Client) Read() (Header, []byte, error) {
	var b [HeaderLength]byte
	if _, err := io.ReadFull(cl.r, b[:]); err != nil {
		return Header{}, nil, err
	}
	h := ParseHeader(b[:])
	switch h.Command {
	case RetUnlink:
		return h, nil, nil
	case RetSubmit:
		in, ok := cl.in[h.Seqnum]
		if !ok {
			return h, nil, fmt.Errorf("RET_SUBMIT for seqnum %d, which is not pending", h.Seqnum)
		}
		delete(cl.in, h.Seqnum)
		if !in || h.ActualLength == 0 {
			return h, nil, nil
		}
		if h.ActualLength > maxTransfer {
			return h, nil, fmt.Errorf("RET_SUBMIT of %d bytes", h.ActualLength)
		}
		data := make([]byte, h.ActualLength)
		_, err := io.ReadFull(cl.r, data)
		return h, data, err
	}
	return h, nil, fmt.Errorf("unexpected command %d", h.Command)
}

// Control runs one control transfer and waits for its answer (nothing else
// may be in flight that could answer first): the URB status and the data
// stage of an IN transfer.
func (cl *Client) Control(s Setup, out []byte) (int32, []byte, error) {
	seq, err := cl.Submit(0, s.In(), s, uint32(s.Length), 0, out)
	if err != nil {
		return 0, nil, err
	}
	h, data, err := cl.Read()
	if err == nil && (h.Command != RetSubmit || h.Seqnum != seq) {
		err = fmt.Errorf("answer %d to seqnum %d, want RET_SUBMIT to %d", h.Command, h.Seqnum, seq)
	}
	return h.Status, data, err
}
