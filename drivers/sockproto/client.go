package sockproto

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"time"
)

// Client is a connection to a driver's socket, as upsd, upsdrvctl and a
// driver's -c make one: it sends requests and reads what the driver says.
type Client struct {
	conn net.Conn
	r    *bufio.Reader
}

// Dial connects to the driver socket at path.
func Dial(ctx context.Context, path string) (*Client, error) {
	c, err := (&net.Dialer{}).DialContext(ctx, "unix", path)
	if err != nil {
		return nil, err
	}
	return NewClient(c), nil
}

// NewClient is a client on a connection already made.
func NewClient(c net.Conn) *Client { return &Client{conn: c, r: bufio.NewReader(c)} }

// Send writes requests, in one write.
func (c *Client) Send(reqs ...Request) error {
	var b []byte
	for _, r := range reqs {
		b = append(b, r.Encode()...)
	}
	_, err := c.conn.Write(b)
	return err
}

// Receive reads what the driver sends until the connection ends or do
// returns false (see ReadMessages).
func (c *Client) Receive(bad func(error), do func(Message) bool) error {
	return ReadMessages(c.r, bad, do)
}

// SetDeadline bounds the reads and writes to come; SetWriteDeadline only
// the writes.
func (c *Client) SetDeadline(t time.Time) error      { return c.conn.SetDeadline(t) }
func (c *Client) SetWriteDeadline(t time.Time) error { return c.conn.SetWriteDeadline(t) }

// Close hangs up.
func (c *Client) Close() error { return c.conn.Close() }

// Command has the driver at path run an instant command (driver.reload,
// driver.exit, ...), and returns the driver's result for it: it asks with
// a TRACKING id and waits for that id's answer, until ctx ends.
func Command(ctx context.Context, path, name string) (Result, error) {
	c, err := Dial(ctx, path)
	if err != nil {
		return Unknown, fmt.Errorf("no running driver answers on %s: %w", path, err)
	}
	defer c.Close()
	if d, ok := ctx.Deadline(); ok {
		c.SetDeadline(d)
	}
	stop := context.AfterFunc(ctx, func() { c.SetDeadline(time.Now()) })
	defer stop()
	id := "cmd-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	if err := c.Send(Request{Cmd: NoBroadcast}, Request{Cmd: InstCmd, Name: name, Tracking: id}); err != nil {
		return Unknown, err
	}
	var answer *Message
	err = c.Receive(func(error) {}, func(m Message) bool {
		if m.Cmd != Tracking || len(m.Args) != 2 || m.Args[0] != id {
			return true
		}
		answer = &m
		return false
	})
	switch {
	case answer != nil:
		_, r, err := answer.TrackingResult()
		if err != nil {
			return Unknown, fmt.Errorf("driver answered %q", answer.String())
		}
		c.Send(Request{Cmd: Logout})
		return r, nil
	case errors.Is(err, io.EOF):
		return Unknown, fmt.Errorf("the driver closed the connection without answering")
	}
	return Unknown, fmt.Errorf("no answer from the driver: %w", err)
}
