package control

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"time"

	"gonut/test/usbsim/devfile"
	"gonut/test/usbsim/hiddesc"
	"gonut/test/usbsim/hiddev"
	"gonut/test/usbsim/usbip"
)

// Server answers control connections for one simulated device.
type Server struct {
	Device *hiddev.Device
	// Other, when set, runs the commands of a device that is not a HID
	// one (a qxbridge.Device's Do), all but detach and status.
	Other func(line string) ([]string, error)
	USB   *usbip.Server
	// InputTimeout bounds how long "input" waits for a host to take the
	// report.
	InputTimeout time.Duration
}

// Serve answers connections on l until l is closed.
func (s *Server) Serve(l net.Listener) error { return usbip.ServeEach(l, s.serveConn) }

func (s *Server) serveConn(c net.Conn) {
	defer c.Close()
	sc := bufio.NewScanner(c)
	w := bufio.NewWriter(c)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		lines, err := s.Do(line)
		for _, l := range lines {
			w.WriteString(l + "\n")
		}
		if err != nil {
			fmt.Fprintf(w, "ERR %v\n", err)
		} else {
			w.WriteString("OK\n")
		}
		if w.Flush() != nil {
			return
		}
	}
}

// Do runs one command and returns its answer's lines (without the final
// OK), or why it failed.
func (s *Server) Do(line string) ([]string, error) {
	w := strings.Fields(line)
	arg := func(i int) string {
		if i < len(w) {
			return w[i]
		}
		return ""
	}
	if s.Other != nil && len(w) > 0 && w[0] != "detach" && w[0] != "status" {
		return s.Other(line)
	}
	onOff := func(set func(bool)) error {
		switch arg(1) {
		case "on":
			set(true)
		case "off":
			set(false)
		default:
			return fmt.Errorf("%s: expected on or off", w[0])
		}
		return nil
	}
	switch w[0] {
	case "set", "get":
		kind, ok := hiddesc.ParseKind(arg(1))
		if !ok {
			return nil, fmt.Errorf("%s: expected feature, input or output, then a report ID", w[0])
		}
		if w[0] == "get" {
			r, err := reportID(kind, arg(2))
			if err != nil || len(w) != 3 {
				return nil, fmt.Errorf("get: expected a report type and ID (get feature 0c)")
			}
			b, ok := s.Device.Report(r)
			if !ok {
				return nil, fmt.Errorf("%s %02x: the report descriptor has no such report", r.Kind, r.ID)
			}
			return []string{r.Line(b)}, nil
		}
		r, data, err := report(kind, w[2:])
		if err != nil {
			return nil, fmt.Errorf("set: %v", err)
		}
		return nil, s.Device.SetReport(r, data)
	case "input":
		r, data, err := report(hiddesc.Input, w[1:])
		if err != nil {
			return nil, fmt.Errorf("input: %v", err)
		}
		done, err := s.Device.SendInput(data)
		if err != nil {
			return nil, fmt.Errorf("%s %02x: %v", r.Kind, r.ID, err)
		}
		select {
		case ok := <-done:
			if !ok {
				return nil, fmt.Errorf("%s %02x: the host let go of the device before it took the report", r.Kind, r.ID)
			}
			return nil, nil
		case <-time.After(s.InputTimeout):
			return nil, fmt.Errorf("%s %02x: no host took the report within %v (it stays queued)", r.Kind, r.ID, s.InputTimeout)
		}
	case "log":
		var lines []string
		for _, set := range s.Device.Sets() {
			lines = append(lines, set.String())
		}
		return lines, nil
	case "clear-log":
		s.Device.ClearSets()
		return nil, nil
	case "stall":
		return nil, onOff(s.Device.SetStall)
	case "mute":
		return nil, onOff(s.Device.SetMute)
	case "detach":
		if !s.USB.Detach() {
			return nil, fmt.Errorf("detach: no host has the device")
		}
		return nil, nil
	case "status":
		attached := "no"
		if s.USB.Attached() {
			attached = "yes"
		}
		return []string{"attached " + attached}, nil
	}
	return nil, fmt.Errorf("unknown command %q (set, get, input, log, clear-log, stall, mute, detach, status)", w[0])
}

// report reads "ID BYTES...": the report ID (a trailing colon allowed, as
// in device files) and its bytes.
func report(kind hiddesc.Kind, w []string) (hiddesc.Report, []byte, error) {
	if len(w) == 0 {
		return hiddesc.Report{Kind: kind}, nil, fmt.Errorf("expected a report ID, then the report's bytes")
	}
	r, err := reportID(kind, w[0])
	if err != nil {
		return r, nil, err
	}
	data, err := devfile.ParseHex(w[1:])
	if err == nil && len(data) == 0 {
		err = fmt.Errorf("expected the report's bytes after its ID")
	}
	return r, data, err
}

func reportID(kind hiddesc.Kind, word string) (hiddesc.Report, error) {
	id, err := devfile.ParseHex([]string{strings.TrimSuffix(word, ":")})
	if err != nil || len(id) != 1 {
		return hiddesc.Report{Kind: kind}, fmt.Errorf("expected a report ID of 2 hex digits, not %q", word)
	}
	return hiddesc.Report{Kind: kind, ID: id[0]}, nil
}

// network tells a control address's network: a path is a Unix socket,
// anything else (host:port) TCP.
func network(addr string) string {
	if strings.Contains(addr, "/") {
		return "unix"
	}
	return "tcp"
}

// Listen opens a control address, removing a stale Unix socket first.
func Listen(addr string) (net.Listener, error) {
	n := network(addr)
	if n == "unix" {
		if fi, err := os.Lstat(addr); err == nil && fi.Mode()&os.ModeSocket != 0 {
			os.Remove(addr)
		}
	}
	return net.Listen(n, addr)
}

// Do sends one command to the control address and returns its answer's
// lines (without the final OK), or the ERR line's reason as an error.
func Do(ctx context.Context, addr, command string) ([]string, error) {
	c, err := Dial(ctx, addr)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	if deadline, ok := ctx.Deadline(); ok {
		c.c.SetDeadline(deadline)
	}
	return c.Do(command)
}

// Client is a connection to the control interface that stays open, for
// commands that must follow each other closely.
type Client struct {
	c  net.Conn
	sc *bufio.Scanner
}

// Dial connects to the control address.
func Dial(ctx context.Context, addr string) (*Client, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, network(addr), addr)
	if err != nil {
		return nil, err
	}
	return &Client{c: c, sc: bufio.NewScanner(c)}, nil
}

func (c *Client) Close() error { return c.c.Close() }

// Do sends the commands in one write, so that the simulator runs them one
// right after the other, and reads their answers: the lines of them all
// (without the OKs), or the first ERR line's reason as an error.
func (c *Client) Do(commands ...string) ([]string, error) {
	if _, err := io.WriteString(c.c, strings.Join(commands, "\n")+"\n"); err != nil {
		return nil, err
	}
	var lines []string
	var failed error
	for left := len(commands); left > 0 && c.sc.Scan(); {
		line := c.sc.Text()
		switch {
		case line == "OK" || strings.HasPrefix(line, "OK "):
			left--
			if left == 0 {
				return lines, failed
			}
			continue
		case strings.HasPrefix(line, "ERR "):
			left--
			if failed == nil {
				failed = errors.New(strings.TrimPrefix(line, "ERR "))
			}
			if left == 0 {
				return lines, failed
			}
			continue
		}
		lines = append(lines, line)
	}
	if err := c.sc.Err(); err != nil {
		return lines, err
	}
	return lines, fmt.Errorf("the simulator closed the connection without an answer")
}
