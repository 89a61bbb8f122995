package apcsmart

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"gonut/drivers/serial"
)

// readMode is what an answer may hold, and what is filtered out of it.
type readMode uint8

const (
	// alertAware: alert characters are acted on, '|' and '&' dropped.
	alertAware readMode = iota
	// plain: alert characters are dropped too.
	plain
	// capsMode: the capability string, which holds '#' as data.
	capsMode
	// cmdSetMode: the `a` answer, which lists alert characters as data.
	cmdSetMode
	// shutdownMode: like alertAware, and a '*' answers "OK" (older
	// models' answer to a shutdown).
	shutdownMode
)

// ignored are the characters dropped from an answer in each mode (CR is
// always dropped: APC ends lines with CR LF).
func (m readMode) ignored(c byte) bool {
	switch m {
	case capsMode:
		return strings.IndexByte("\r|&$!%+?=*", c) >= 0
	case cmdSetMode:
		return c == '\r'
	case plain:
		return strings.IndexByte("\r|&*"+alertChars, c) >= 0
	}
	return strings.IndexByte("\r|&*", c) >= 0
}

func (m readMode) alerts() bool { return m == alertAware || m == shutdownMode }

// maxLine is the longest answer taken (NUT's APC_LBUF, 512 with its NUL).
const maxLine = 511

// Errors of an exchange.
var (
	errSilent  = errors.New("no answer")
	errPartial = errors.New("answer cut short")
	errLong    = errors.New("answer longer than 511 bytes")
	errClosed  = errors.New("port closed")
)

// answer is what an exchange gets back.
type answer struct {
	line string
	err  error
}

// conn is the Smart protocol's wire: a reader that runs all the time, so
// that alert characters reach the driver between exchanges too, and one
// exchange at a time (a character or a few out, a line back). The reader
// is the port's only reader; writes come from the exchanges.
type conn struct {
	port    serial.Port
	log     *slog.Logger
	onAlert func(c byte)
	pace    func(d time.Duration) // waits between characters; time.Sleep

	ex sync.Mutex // one exchange at a time

	mu      sync.Mutex
	waiting bool // an exchange waits for a line
	mode    readMode
	line    []byte
	got     chan answer // the waiting exchange's answer
	noise   int         // bytes dropped outside exchanges since last logged

	done chan struct{}
	wg   sync.WaitGroup
}

func newConn(p serial.Port, log *slog.Logger, onAlert func(byte)) *conn {
	c := &conn{port: p, log: log, onAlert: onAlert, pace: time.Sleep, done: make(chan struct{})}
	c.wg.Add(1)
	go c.read()
	return c
}

// close stops the reader and closes the port.
func (c *conn) close() error {
	close(c.done)
	err := c.port.Close()
	c.wg.Wait()
	return err
}

// read runs for the life of the conn: it feeds each byte to the waiting
// exchange, or, between exchanges, acts on alert characters and drops
// the rest.
func (c *conn) read() {
	defer c.wg.Done()
	buf := make([]byte, 256)
	failing := false
	for {
		n, err := c.port.ReadTimeout(buf, 250*time.Millisecond)
		select {
		case <-c.done:
			return
		default:
		}
		for _, b := range buf[:n] {
			c.feed(b)
		}
		switch {
		case err == nil || errors.Is(err, serial.ErrTimeout):
			failing = false
		case !failing:
			failing = true
			c.log.Warn("cannot read the serial line", "error", err)
			fallthrough
		default:
			select { // a port in error fails at once: do not spin
			case <-c.done:
				return
			case <-time.After(100 * time.Millisecond):
			}
		}
	}
}

// feed takes one byte from the line.
func (c *conn) feed(b byte) {
	c.mu.Lock()
	if !c.waiting {
		// '*' between exchanges: an older model turning the load off.
		alert := strings.IndexByte(alertChars, b) >= 0 || b == '*'
		if !alert && b != '\r' && b != '\n' {
			c.noise++
		}
		c.mu.Unlock()
		if alert {
			c.onAlert(b)
		}
		return
	}
	m := c.mode
	switch {
	case b == '\n':
		c.finish(answer{line: string(c.line)})
	case m == shutdownMode && b == '*':
		c.finish(answer{line: "OK"})
	case m.ignored(b):
	case m.alerts() && strings.IndexByte(alertChars, b) >= 0:
		c.mu.Unlock()
		c.onAlert(b)
		return
	case len(c.line) >= maxLine:
		c.finish(answer{line: string(c.line), err: errLong})
	default:
		c.line = append(c.line, b)
	}
	c.mu.Unlock()
}

// finish hands the waiting exchange its answer; c.mu is held.
func (c *conn) finish(a answer) {
	c.waiting = false
	c.got <- a
}

// expect makes the next line the answer of an exchange read in mode m.
func (c *conn) expect(m readMode) chan answer {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.noise > 0 {
		c.log.Debug("dropped bytes the UPS sent between exchanges", "count", c.noise)
		c.noise = 0
	}
	c.waiting, c.mode, c.line = true, m, c.line[:0]
	c.got = make(chan answer, 1)
	return c.got
}

// wait waits for the answer within timeout. Silence is errSilent, some
// bytes then silence errPartial.
func (c *conn) wait(ctx context.Context, got chan answer, timeout time.Duration) (string, error) {
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case a := <-got:
		return a.line, a.err
	case <-t.C:
	case <-ctx.Done():
	case <-c.done:
		return "", errClosed
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	select {
	case a := <-got: // came just now
		return a.line, a.err
	default:
	}
	c.waiting = false
	if len(c.line) > 0 {
		return string(c.line), fmt.Errorf("%w after %q", errPartial, c.line)
	}
	if ctx.Err() != nil {
		return "", ctx.Err()
	}
	return "", errSilent
}

// write sends bytes.
func (c *conn) write(b ...byte) error {
	if _, err := c.port.Write(b); err != nil {
		return fmt.Errorf("cannot write to the serial line: %w", err)
	}
	return nil
}

// Timeouts of NUT's reads.
const (
	waitShort   = 200 * time.Millisecond  // the peek after a long command's first character
	waitMedium  = 1500 * time.Millisecond // smart mode, shutdowns
	waitDefault = 3 * time.Second
	waitLong    = 6 * time.Second // the capability string and the command set
)

// query sends a character and reads its answer line.
func (c *conn) query(ctx context.Context, cmd byte, m readMode, timeout time.Duration) (string, error) {
	c.ex.Lock()
	defer c.ex.Unlock()
	return c.queryLocked(ctx, cmd, m, timeout)
}

func (c *conn) queryLocked(ctx context.Context, cmd byte, m readMode, timeout time.Duration) (string, error) {
	got := c.expect(m)
	if err := c.write(cmd); err != nil {
		c.cancel()
		return "", err
	}
	return c.wait(ctx, got, timeout)
}

// cancel forgets a waiting exchange.
func (c *conn) cancel() {
	c.mu.Lock()
	c.waiting = false
	c.mu.Unlock()
}

// peekNothing checks that the UPS says nothing to the first character of
// a longer command (a model that refuses it says NA, and what follows
// would then be taken as commands of its own). It reports an error if
// anything came.
func (c *conn) peekNothing(ctx context.Context) error {
	got := c.expect(alertAware)
	line, err := c.wait(ctx, got, waitShort)
	switch {
	case errors.Is(err, errSilent):
		return nil
	case err == nil || errors.Is(err, errPartial):
		return fmt.Errorf("the UPS answered %q to the command's first character", line)
	}
	return err
}

// sendLong sends a command of several characters: the first, a check
// that the UPS takes it, then the rest paced 50 ms apart. The answer to
// the last is read in mode m from the channel returned.
func (c *conn) sendLong(ctx context.Context, s string, m readMode) (chan answer, error) {
	if err := c.write(s[0]); err != nil {
		return nil, err
	}
	if err := c.peekNothing(ctx); err != nil {
		return nil, err
	}
	for i := 1; i < len(s); i++ {
		c.pace(50 * time.Millisecond)
		var got chan answer
		if i == len(s)-1 {
			got = c.expect(m)
		}
		if err := c.write(s[i]); err != nil {
			c.cancel()
			return nil, err
		}
		if got != nil {
			return got, nil
		}
	}
	return c.expect(m), nil
}

// sendTwice sends a character that must come twice 1.3 s apart (Z, K,
// ^N), checking that the UPS says nothing to the first. The answer to
// the second is read in mode m from the channel returned.
func (c *conn) sendTwice(ctx context.Context, b byte, m readMode) (chan answer, error) {
	if err := c.write(b); err != nil {
		return nil, err
	}
	if err := c.peekNothing(ctx); err != nil {
		return nil, err
	}
	c.pace(1300 * time.Millisecond)
	got := c.expect(m)
	if err := c.write(b); err != nil {
		c.cancel()
		return nil, err
	}
	return got, nil
}
