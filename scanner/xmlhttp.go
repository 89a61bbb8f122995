package scanner

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strings"
	"sync"
	"syscall"
	"time"
)

// The XML/HTTP scan (-M) is NUT 2.8.0's scan_xml_http.c: Eaton's network
// cards answer a UDP datagram "<SCAN_REQUEST/>" on port 4679 with an XML
// element; one of a UPS (not of an ePDU, class DEV.PDU, whose XML v4
// netxml-ups does not speak) is a netxml-ups section at http://<its
// address>, its "type" attribute the description.

// XMLPort is the UDP port the cards listen on.
const XMLPort = 4679

const (
	xmlRequest  = "<SCAN_REQUEST/>"
	xmlTries    = 3
	xmlAnswerAt = 520 // the bytes of an answer NUT reads (SMALLBUF+8): the rest is cut
)

// XMLAnswer reads a card's answer as NUT's scan does, through neon's
// XML parser fed the datagram without an end: the first element must
// carry a "type" attribute and no class="DEV.PDU" (the elements in it are
// not looked at, but must be well formed, and nothing but comments and
// space may follow it); an answer cut short is not wrong. It returns
// whether the device is for netxml-ups, and its description (typed:
// there is one; not when the answer ends before the element's tag does).
func XMLAnswer(b []byte) (desc string, typed, ok bool) {
	if len(b) == 0 {
		return "", false, false // an empty document
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")) // a UTF-8 byte-order mark
	// A NUL ends what libxml2 reads well only after the element, and
	// then nothing but NULs and space may follow.
	var afterNUL []byte
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b, afterNUL = b[:i], b[i:]
		if len(bytes.Trim(afterNUL, "\x00 \t\r\n")) > 0 {
			return "", false, false
		}
	}
	// Attribute values are normalized: each space character a space
	// (after "\r\n" became "\n"); elsewhere, space is space.
	b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
	b = bytes.Clone(b)
	for i, c := range b {
		if c == '\t' || c == '\n' || c == '\r' {
			b[i] = ' '
		}
	}
	d := xml.NewDecoder(bytes.NewReader(b))
	d.CharsetReader = latin1
	var open []xml.Name // RawToken does not pair the tags
	rootDone := false
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return desc, typed, afterNUL == nil || rootDone
		}
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) && se.Msg == "unexpected EOF" && afterNUL == nil {
				return desc, typed, true // cut short: neon waits for more
			}
			return "", false, false
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if rootDone {
				return "", false, false // a second document element
			}
			if len(open) == 0 {
				seen := map[xml.Name]bool{}
				for _, a := range t.Attr {
					if seen[a.Name] {
						return "", false, false
					}
					seen[a.Name] = true
					if a.Name.Space != "" {
						continue
					}
					if a.Name.Local == "class" && a.Value == "DEV.PDU" {
						return "", false, false
					}
					if a.Name.Local == "type" {
						desc, typed = a.Value, true
					}
				}
				if !typed {
					return "", false, false
				}
			}
			open = append(open, t.Name)
		case xml.EndElement:
			if len(open) == 0 || open[len(open)-1] != t.Name {
				return "", false, false
			}
			open = open[:len(open)-1]
			rootDone = len(open) == 0
		case xml.CharData:
			if len(open) == 0 && len(bytes.TrimSpace(t)) > 0 {
				return "", false, false // text outside the element
			}
		case xml.Directive:
			if rootDone {
				return "", false, false
			}
		}
	}
}

// latin1 reads the one 8-bit encoding besides UTF-8 (and its subset
// US-ASCII) an answer may declare; libxml2 knows more.
func latin1(charset string, r io.Reader) (io.Reader, error) {
	switch strings.ToLower(charset) {
	case "iso-8859-1", "latin1", "iso_8859-1", "l1":
		b, err := io.ReadAll(r)
		var out []rune
		for _, c := range b {
			out = append(out, rune(c))
		}
		return strings.NewReader(string(out)), err
	case "us-ascii", "ascii":
		return r, nil
	}
	return nil, fmt.Errorf("encoding %s", charset)
}

// XMLScan is how to scan: where (nil: broadcast on the segment) and how
// long to wait for answers at each of the three tries.
type XMLScan struct {
	Timeout time.Duration
	Port    int // XMLPort when 0
}

// ScanXML asks each address (a broadcast when addrs is empty), at most
// threads at a time; complain gets NUT's messages (stderr).
func ScanXML(ctx context.Context, addrs []netip.Addr, s XMLScan, threads int, complain func(string)) []Device {
	if s.Port == 0 {
		s.Port = XMLPort
	}
	if s.Timeout <= 0 {
		s.Timeout = 5 * time.Second
	}
	var (
		mu  sync.Mutex
		out []Device
		wg  sync.WaitGroup
	)
	add := func(devs []Device) {
		mu.Lock()
		out = append(out, devs...)
		mu.Unlock()
	}
	if len(addrs) == 0 {
		add(s.ask(ctx, netip.Addr{}, complain))
		return out
	}
	sem := make(chan struct{}, max(threads, 1))
	for _, a := range addrs {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			add(s.ask(ctx, a, complain))
		}()
	}
	wg.Wait()
	return out
}

// ask sends the request to one address (or broadcasts it: the zero
// Addr) up to three times, and reads answers until a timeout passes
// without one: a unicast ends at its first answer, a broadcast at the end
// of a try that found a device.
func (s XMLScan) ask(ctx context.Context, to netip.Addr, complain func(string)) []Device {
	broadcast := !to.IsValid()
	name := to.String()
	dst := net.IPv4bcast
	if broadcast {
		name = "<broadcast>"
	} else if to.Is4() {
		dst = net.IP(to.AsSlice())
	} else {
		dst = net.IPv4zero // NUT's inet_pton(AF_INET) fails: the address stays 0
	}
	c, err := net.ListenUDP("udp4", nil)
	if err != nil {
		complain("Error creating socket")
		return nil
	}
	defer c.Close()
	if broadcast {
		if raw, err := c.SyscallConn(); err == nil {
			raw.Control(func(fd uintptr) { syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_BROADCAST, 1) })
		}
	}
	var out []Device
	buf := make([]byte, xmlAnswerAt)
	for try := 1; try <= xmlTries && ctx.Err() == nil; try++ {
		if _, err := c.WriteToUDP([]byte(xmlRequest), &net.UDPAddr{IP: dst, Port: s.Port}); err != nil {
			complain(fmt.Sprintf("Error sending Eaton %s to %s, #%d/%d", xmlRequest, name, try, xmlTries))
			sleepCtx(ctx, s.Timeout)
			continue
		}
		for {
			c.SetReadDeadline(time.Now().Add(s.Timeout))
			n, from, err := c.ReadFromUDPAddrPort(buf)
			if err != nil {
				var ne net.Error
				if errors.As(err, &ne) && ne.Timeout() {
					break
				}
				complain(fmt.Sprintf("Error reading socket: %v, #%d/%d", err, try, xmlTries))
				sleepCtx(ctx, s.Timeout)
				continue
			}
			ip := from.Addr().Unmap().String()
			if desc, typed, ok := XMLAnswer(buf[:n]); ok {
				d := Device{Bus: "XML", Driver: "netxml-ups", Port: "http://" + ip, addr: from.Addr().Unmap()}
				if typed {
					d.Opts = append(d.Opts, Opt{"desc", desc})
				}
				out = append(out, d)
			} else {
				complain(fmt.Sprintf("Device at IP %s replied with NetXML but was not deemed compatible with 'netxml-ups' driver (unsupported protocol version, etc.)", ip))
			}
			if !broadcast {
				return out
			}
		}
		if broadcast && len(out) > 0 {
			return out
		}
	}
	return out
}
