package nutclient

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"
	"time"
)

// Message is the text NUT's clients print for an error: upsclient's
// words for upsd's ERR codes and for a server that hung up, or the error
// itself.
func Message(err error) string {
	var ne *Error
	if errors.As(err, &ne) {
		return ne.Message()
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return "Server disconnected"
	}
	return err.Error()
}

// Reason is the system's word for a failed connection, as NUT's clients
// print it ("Connection refused").
func Reason(err error) string {
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Err != nil {
		var se interface{ Unwrap() error }
		if errors.As(oe.Err, &se) {
			if inner := se.Unwrap(); inner != nil {
				return capitalize(inner.Error())
			}
		}
		return capitalize(oe.Err.Error())
	}
	return err.Error()
}

// Strerror is a failed system call's error as C's strerror words it ("No
// such file or directory"), as NUT's programs end their messages; any
// other error as it is.
func Strerror(err error) string {
	var e syscall.Errno
	if errors.As(err, &e) {
		return capitalize(e.Error())
	}
	return err.Error()
}

func capitalize(s string) string {
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		return string(s[0]-'a'+'A') + s[1:]
	}
	return s
}

// ErrTrackingTimeout: the driver did not finish a tracked command in time.
var ErrTrackingTimeout = errors.New("timeout")

// WaitTracking asks GET TRACKING id once a second until the answer is no
// longer PENDING, and returns that answer's line ("OK", "ERR INVALID-ARGUMENT"
// ...), as upscmd -w and upsrw -w print it. It gives up after timeout.
func (c *Client) WaitTracking(ctx context.Context, id string, timeout time.Duration, sleep func(time.Duration)) (string, error) {
	start := time.Now()
	for {
		if time.Since(start) >= timeout {
			return "", ErrTrackingTimeout
		}
		w, err := c.Do(ctx, "GET TRACKING "+id)
		var ne *Error
		switch {
		case errors.As(err, &ne):
			return ne.Error(), nil
		case err != nil:
			return "", err
		}
		if len(w) == 0 || w[0] != "PENDING" {
			return strings.Join(w, " "), nil
		}
		sleep(time.Second)
	}
}

// Raw sends one request line and returns upsd's answer line as it came,
// ERR lines included (NUT's upsrw and upscmd print those as they are).
func (c *Client) Raw(ctx context.Context, request string) (string, error) {
	w, err := c.Do(ctx, request)
	var ne *Error
	if errors.As(err, &ne) {
		return ne.Error(), nil
	}
	if err != nil {
		return "", err
	}
	return joinWords(w), nil
}
