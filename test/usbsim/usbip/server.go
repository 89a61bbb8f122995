package usbip

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"sync"
)

// Device is the USB device a Server exports.
type Device interface {
	// Info describes the device for OP_REP_DEVLIST and OP_REP_IMPORT.
	Info() DeviceInfo
	// Control answers a control transfer on endpoint 0: the data stage for
	// the host (at most s.Length bytes), or ErrStall, or ErrNoAnswer to
	// leave the transfer pending until the host gives up on it. out is the
	// host's data stage.
	Control(s Setup, out []byte) (in []byte, err error)
	// InterruptIn tells whether ep is an interrupt IN endpoint.
	InterruptIn(ep uint8) bool
	// InputReady is signalled whenever TakeInput may have a report.
	InputReady() <-chan struct{}
	// TakeInput takes the next report for an interrupt IN transfer of ep,
	// if there is one; delivered is called once the report is on its way.
	TakeInput(ep uint8) (report []byte, delivered func(), ok bool)
	// Connected tells the device that a host imported it (true) or let
	// go of it (false).
	Connected(on bool)
}

// OutputDevice is a Device with interrupt OUT endpoints: InterruptOut
// takes a transfer's data for endpoint ep, false to stall it.
type OutputDevice interface {
	InterruptOut(ep uint8, data []byte) bool
}

// ErrStall answers a control transfer with a STALL handshake (-EPIPE).
var ErrStall = errors.New("stall")

// ErrNoAnswer leaves a control transfer unanswered, as a hung device does.
var ErrNoAnswer = errors.New("no answer")

// Server exports one device. Hosts may list it at any time; one host at a
// time imports it.
type Server struct {
	dev  Device
	info DeviceInfo
	log  *log.Logger

	mu       sync.Mutex
	attached net.Conn // the importing host's connection
	changed  chan struct{}
}

// NewServer exports dev; logger may be nil.
func NewServer(dev Device, logger *log.Logger) *Server {
	if logger == nil {
		logger = log.New(io.Discard, "", 0)
	}
	return &Server{dev: dev, info: dev.Info(), log: logger, changed: make(chan struct{})}
}

// Serve accepts hosts on l until l is closed.
func (s *Server) Serve(l net.Listener) error { return ServeEach(l, s.handle) }

// ServeEach accepts connections on l, each handled by handle in a
// goroutine of its own, until l is closed (then it returns nil) or fails.
func ServeEach(l net.Listener, handle func(net.Conn)) error {
	for {
		c, err := l.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		go handle(c)
	}
}

// Attached tells whether a host has the device imported.
func (s *Server) Attached() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.attached != nil
}

// AttachChanged is closed (and replaced) whenever a host imports the
// device or lets go of it.
func (s *Server) AttachChanged() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.changed
}

// Detach drops the importing host's connection: for the host, the device
// is unplugged. It tells whether a host had it.
func (s *Server) Detach() bool {
	s.mu.Lock()
	c := s.attached
	s.mu.Unlock()
	if c == nil {
		return false
	}
	c.Close()
	return true
}

func (s *Server) setAttached(c net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c != nil && s.attached != nil {
		return false
	}
	s.attached = c
	close(s.changed)
	s.changed = make(chan struct{})
	return true
}

func (s *Server) handle(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	h, err := ReadOpHeader(r)
	if err != nil {
		return
	}
	if h.Version != Version {
		s.log.Printf("%s: protocol version %04x, expected %04x: closing", c.RemoteAddr(), h.Version, Version)
		return
	}
	switch h.Code {
	case OpReqDevlist:
		b := OpHeader{Version, OpRepDevlist, StOK}.append(nil)
		b = append(b, 0, 0, 0, 1) // one device
		b = s.info.AppendDevice(b)
		for _, i := range s.info.Interfaces {
			b = append(b, i.Class, i.SubClass, i.Protocol, 0)
		}
		c.Write(b)
	case OpReqImport:
		var busid [32]byte
		if _, err := io.ReadFull(r, busid[:]); err != nil {
			return
		}
		want := string(bytes.TrimRight(busid[:], "\x00"))
		status := uint32(StOK)
		switch {
		case want != s.info.BusID:
			s.log.Printf("%s: import of %q refused: this is %q", c.RemoteAddr(), want, s.info.BusID)
			status = StNoDev
		case !s.setAttached(c):
			s.log.Printf("%s: import of %q refused: another host has it", c.RemoteAddr(), want)
			status = StDevBusy
		}
		b := OpHeader{Version, OpRepImport, status}.append(nil)
		if status != StOK {
			c.Write(b)
			return
		}
		defer s.setAttached(nil)
		if _, err := c.Write(s.info.AppendDevice(b)); err != nil {
			return
		}
		s.log.Printf("%s: attached %s", c.RemoteAddr(), s.info.BusID)
		s.dev.Connected(true)
		defer s.dev.Connected(false)
		err := (&urbs{s: s, c: c, pending: map[uint32]Header{}}).serve(r)
		s.log.Printf("%s: detached %s (%v)", c.RemoteAddr(), s.info.BusID, err)
	default:
		s.log.Printf("%s: unknown operation %04x: closing", c.RemoteAddr(), h.Code)
	}
}

// A message read from the host.
type message struct {
	h    Header
	data []byte // an OUT transfer's data
}

// urbs serves one host's URBs: one goroutine reads, this one answers, so
// that answers and unlinks never cross.
type urbs struct {
	s       *Server
	c       net.Conn
	pending map[uint32]Header // submitted, not yet answered, by seqnum
	waiting []uint32          // interrupt IN transfers in the order submitted
	buf     []byte
}

func (u *urbs) serve(r io.Reader) error {
	msgs := make(chan message)
	readErr := make(chan error, 1)
	go func() {
		defer close(msgs)
		for {
			m, err := readMessage(r)
			if err != nil {
				readErr <- err
				u.c.Close() // stops the writer too
				return
			}
			msgs <- m
		}
	}()
	defer func() {
		u.c.Close()
		for range msgs { // let the reader finish
		}
	}()
	for {
		select {
		case m, ok := <-msgs:
			if !ok {
				return <-readErr
			}
			if err := u.handle(m); err != nil {
				return err
			}
		case <-u.s.dev.InputReady():
		}
		if err := u.deliverInputs(); err != nil {
			return err
		}
	}
}

func readMessage(r io.Reader) (message, error) {
	var b [HeaderLength]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return message{}, err
	}
	m := message{h: ParseHeader(b[:])}
	switch m.h.Command {
	case CmdUnlink:
	case CmdSubmit:
		if m.h.NumPackets != 0 && m.h.NumPackets != 0xffffffff {
			return m, fmt.Errorf("seqnum %d: %d isochronous packets, but the device has no isochronous endpoint", m.h.Seqnum, m.h.NumPackets)
		}
		if m.h.Direction == 0 && m.h.Length > 0 {
			if m.h.Length > maxTransfer {
				return m, fmt.Errorf("seqnum %d: OUT transfer of %d bytes", m.h.Seqnum, m.h.Length)
			}
			m.data = make([]byte, m.h.Length)
			if _, err := io.ReadFull(r, m.data); err != nil {
				return m, err
			}
		}
	default:
		return m, fmt.Errorf("unknown command %d", m.h.Command)
	}
	return m, nil
}

func (u *urbs) handle(m message) error {
	h := m.h
	if h.Command == CmdUnlink {
		status := int32(StatusOK) // already answered
		if _, ok := u.pending[h.UnlinkSeqnum]; ok {
			delete(u.pending, h.UnlinkSeqnum)
			status = StatusUnlinked
		}
		return u.send(Header{Command: RetUnlink, Seqnum: h.Seqnum, Status: status}, nil)
	}
	switch {
	case h.EP == 0:
		setup := ParseSetup(h.Setup)
		in, err := u.s.dev.Control(setup, m.data)
		switch {
		case errors.Is(err, ErrNoAnswer):
			u.pending[h.Seqnum] = h
			return nil
		case err != nil:
			return u.answer(h, StatusStall, nil)
		case h.Direction == 1:
			return u.answerIn(h, in)
		default:
			return u.answer(h, StatusOK, nil)
		}
	case h.Direction == 0 && h.EP < 16:
		if o, ok := u.s.dev.(OutputDevice); ok && o.InterruptOut(uint8(h.EP), m.data) {
			return u.answer(h, StatusOK, nil)
		}
		u.s.log.Printf("seqnum %d: no endpoint %d OUT", h.Seqnum, h.EP)
		return u.answer(h, StatusStall, nil)
	case h.Direction == 1 && h.EP < 16 && u.s.dev.InterruptIn(uint8(h.EP)):
		u.pending[h.Seqnum] = h
		u.waiting = append(u.waiting, h.Seqnum)
		return nil
	default:
		u.s.log.Printf("seqnum %d: no endpoint %d %s", h.Seqnum, h.EP, map[uint32]string{0: "OUT", 1: "IN"}[h.Direction])
		return u.answer(h, StatusStall, nil)
	}
}

// deliverInputs answers waiting interrupt transfers with the device's
// reports, oldest first.
func (u *urbs) deliverInputs() error {
	for len(u.waiting) > 0 {
		seq := u.waiting[0]
		h, ok := u.pending[seq]
		if !ok { // unlinked
			u.waiting = u.waiting[1:]
			continue
		}
		report, delivered, ok := u.s.dev.TakeInput(uint8(h.EP))
		if !ok {
			return nil
		}
		u.waiting = u.waiting[1:]
		delete(u.pending, seq)
		err := u.answerIn(h, report)
		delivered()
		if err != nil {
			return err
		}
	}
	return nil
}

// answerIn sends an IN transfer's data: cut to the host's buffer
// (-EOVERFLOW when there was more), or short (-EREMOTEIO when the host
// asked for a full buffer).
func (u *urbs) answerIn(h Header, data []byte) error {
	status := int32(StatusOK)
	switch {
	case uint32(len(data)) > h.Length && h.EP != 0:
		data, status = data[:h.Length], StatusOverflow
	case uint32(len(data)) > h.Length:
		data = data[:h.Length] // a control transfer's data stage stops at wLength
	case uint32(len(data)) < h.Length && h.Flags&urbShortNotOK != 0:
		status = StatusShortRead
	}
	return u.answer(h, status, data)
}

func (u *urbs) answer(h Header, status int32, in []byte) error {
	actual := uint32(len(in))
	if h.Direction == 0 && status == StatusOK {
		actual = h.Length
	}
	return u.send(Header{Command: RetSubmit, Seqnum: h.Seqnum, Status: status, ActualLength: actual, NumPackets: h.NumPackets}, in)
}

func (u *urbs) send(h Header, data []byte) error {
	u.buf = append(h.Append(u.buf[:0]), data...)
	_, err := u.c.Write(u.buf)
	return err
}
