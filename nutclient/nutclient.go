package nutclient

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"gonut/upsname"
	"gonut/words"
)

// maxLine bounds one answer line, and maxList a whole list; upsd's are
// far shorter (a UPS has a few hundred variables).
const (
	maxLine = 64 << 10
	maxList = 16 << 20
)

// Error is an ERR answer from upsd, such as ERR ACCESS-DENIED.
type Error struct {
	Code  string
	Extra string
}

func (e *Error) Error() string {
	if e.Extra != "" {
		return "ERR " + e.Code + " " + e.Extra
	}
	return "ERR " + e.Code
}

// Is makes errors.Is(err, &Error{Code: "ACCESS-DENIED"}) match by code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// IsCode reports whether err is upsd's ERR code.
func IsCode(err error, code string) bool { return errors.Is(err, &Error{Code: code}) }

// Options adjust a connection.
type Options struct {
	Timeout time.Duration // each request's deadline; 0: 10 seconds
}

// Client is one connection to upsd. It is safe for concurrent use; requests
// are sent one at a time.
type Client struct {
	mu      sync.Mutex
	conn    net.Conn
	r       *bufio.Reader
	timeout time.Duration
}

// Dial connects to upsd at addr ("host", "host:port", "[v6]:port"; NUT's
// port when none is given).
func Dial(ctx context.Context, addr string, opts Options) (*Client, error) {
	if _, _, err := net.SplitHostPort(addr); err != nil {
		addr = net.JoinHostPort(strings.Trim(addr, "[]"), strconv.Itoa(upsname.DefaultPort))
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	return newClient(conn, opts), nil
}

func newClient(conn net.Conn, opts Options) *Client {
	c := &Client{conn: conn, r: bufio.NewReaderSize(conn, 4096), timeout: opts.Timeout}
	if c.timeout == 0 {
		c.timeout = 10 * time.Second
	}
	return c
}

// Close ends the connection without LOGOUT.
func (c *Client) Close() error { return c.conn.Close() }

func (c *Client) deadline(ctx context.Context) {
	d := time.Now().Add(c.timeout)
	if cd, ok := ctx.Deadline(); ok && cd.Before(d) {
		d = cd
	}
	c.conn.SetDeadline(d)
}

// readLine reads one whole answer line, without its newline (or CR LF).
// A line cut short by a timeout or the server leaving is an error, never
// an answer.
func (c *Client) readLine() (string, error) {
	var b []byte
	for {
		chunk, err := c.r.ReadSlice('\n')
		b = append(b, chunk...)
		switch {
		case len(b) > maxLine:
			return "", fmt.Errorf("answer line longer than %d bytes", maxLine)
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF && len(b) > 0:
			return "", fmt.Errorf("answer cut short: %w", io.ErrUnexpectedEOF)
		case err != nil:
			return "", err
		}
		b = b[:len(b)-1]
		if n := len(b); n > 0 && b[n-1] == '\r' {
			b = b[:n-1]
		}
		return string(b), nil
	}
}

// answer reads one line and splits it; ERR lines become *Error.
func (c *Client) answer() ([]string, error) {
	line, err := c.readLine()
	if err != nil {
		return nil, err
	}
	w, err := words.Split(line)
	if err != nil {
		return nil, fmt.Errorf("bad answer %q: %v", line, err)
	}
	if len(w) == 0 {
		return nil, fmt.Errorf("empty answer")
	}
	if w[0] == "ERR" {
		e := &Error{}
		if len(w) > 1 {
			e.Code = w[1]
		}
		if len(w) > 2 {
			e.Extra = strings.Join(w[2:], " ")
		}
		return nil, e
	}
	return w, nil
}

// Do sends one request line and returns the words of its one-line answer.
func (c *Client) Do(ctx context.Context, request string) ([]string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.deadline(ctx)
	if _, err := c.conn.Write([]byte(request + "\n")); err != nil {
		return nil, err
	}
	return c.answer()
}

// List sends "LIST <what>" and returns the rows between BEGIN LIST and
// END LIST, each without its leading words that repeat the request (so
// LIST VAR ups gives rows [name, value]).
func (c *Client) List(ctx context.Context, what ...string) ([][]string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.deadline(ctx)
	req := "LIST " + joinWords(what)
	if _, err := c.conn.Write([]byte(req + "\n")); err != nil {
		return nil, err
	}
	first, err := c.answer()
	if err != nil {
		return nil, err
	}
	if len(first) < 2 || first[0] != "BEGIN" || first[1] != "LIST" {
		return nil, fmt.Errorf("%s: expected BEGIN LIST, got %q", req, strings.Join(first, " "))
	}
	// Rows start with the list type and its arguments, e.g. "VAR ups".
	prefix := len(what)
	var rows [][]string
	size := 0
	for {
		w, err := c.answer()
		if err != nil {
			return nil, err
		}
		for _, s := range w {
			size += len(s) + 1
		}
		if size > maxList {
			return nil, fmt.Errorf("%s: answer longer than %d bytes", req, maxList)
		}
		if len(w) >= 2 && w[0] == "END" && w[1] == "LIST" {
			return rows, nil
		}
		if !repeats(w, what) {
			return nil, fmt.Errorf("%s: unexpected row %q", req, strings.Join(w, " "))
		}
		rows = append(rows, w[prefix:])
	}
}

// repeats reports whether a list's row starts with the words of its
// request (LIST VAR ups: "VAR ups ..."), compared without regard to case
// as NUT's client compares them: a row about another UPS is not this
// UPS's.
func repeats(row, what []string) bool {
	if len(row) < len(what) {
		return false
	}
	for i, w := range what {
		if !strings.EqualFold(row[i], w) {
			return false
		}
	}
	return true
}

func joinWords(ws []string) string {
	q := make([]string, len(ws))
	for i, w := range ws {
		q[i] = words.Word(w)
	}
	return strings.Join(q, " ")
}

// expectOK checks a one-line answer that should be OK.
func expectOK(w []string, err error) error {
	if err != nil {
		return err
	}
	if w[0] != "OK" {
		return fmt.Errorf("expected OK, got %q", strings.Join(w, " "))
	}
	return nil
}

// Upgrade sends STARTTLS and, once upsd agrees, goes on over what wrap
// makes of the connection (under the request's deadline): a TLS client
// that has shaken hands (nutclient/nuttls), kept out of this package so
// that a program that never asks for TLS does not link it.
func (c *Client) Upgrade(ctx context.Context, wrap func(ctx context.Context, conn net.Conn) (net.Conn, error)) error {
	if err := expectOK(c.Do(ctx, "STARTTLS")); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.deadline(ctx)
	conn, err := wrap(ctx, c.conn)
	if err != nil {
		return err
	}
	c.conn = conn
	c.r = bufio.NewReaderSize(conn, 4096)
	return nil
}

// Var is a variable and its value.
type Var struct{ Name, Value string }

// ListVar returns every variable of a UPS.
func (c *Client) ListVar(ctx context.Context, ups string) ([]Var, error) {
	rows, err := c.List(ctx, "VAR", ups)
	if err != nil {
		return nil, err
	}
	vars := make([]Var, 0, len(rows))
	for _, r := range rows {
		if len(r) != 2 {
			return nil, fmt.Errorf("LIST VAR %s: malformed row %q", ups, r)
		}
		vars = append(vars, Var{r[0], r[1]})
	}
	return vars, nil
}

// ListNames returns the first word of each row of a list of a UPS: the
// names of its instant commands (what "CMD"), writable variables ("RW")
// or variables ("VAR").
func (c *Client) ListNames(ctx context.Context, what, ups string) ([]string, error) {
	rows, err := c.List(ctx, what, ups)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(rows))
	for _, r := range rows {
		if len(r) == 0 {
			return nil, fmt.Errorf("LIST %s %s: empty row", what, ups)
		}
		names = append(names, r[0])
	}
	return names, nil
}

// GetVar returns one variable's value.
func (c *Client) GetVar(ctx context.Context, ups, name string) (string, error) {
	w, err := c.Do(ctx, "GET VAR "+joinWords([]string{ups, name}))
	if err != nil {
		return "", err
	}
	// The answer must be about what was asked, as NUT's upscli_get checks:
	// a status read from another variable could shut a host down.
	if len(w) != 4 || w[0] != "VAR" || !strings.EqualFold(w[1], ups) || !strings.EqualFold(w[2], name) {
		return "", fmt.Errorf("GET VAR %s %s: unexpected answer %q", ups, name, strings.Join(w, " "))
	}
	return w[3], nil
}

// Login authenticates (USERNAME, PASSWORD) when user is not empty.
func (c *Client) Login(ctx context.Context, user, password string) error {
	if user == "" {
		return nil
	}
	if err := expectOK(c.Do(ctx, "USERNAME "+words.Word(user))); err != nil {
		return err
	}
	return expectOK(c.Do(ctx, "PASSWORD "+words.Word(password)))
}

// SetVar writes a variable; with tracking on, it returns the tracking id.
func (c *Client) SetVar(ctx context.Context, ups, name, value string) (string, error) {
	return tracking(c.Do(ctx, "SET VAR "+joinWords([]string{ups, name})+" "+words.Quote(value)))
}

// InstCmd runs an instant command, with an optional parameter; with
// tracking on, it returns the tracking id.
func (c *Client) InstCmd(ctx context.Context, ups, cmd string, param ...string) (string, error) {
	return tracking(c.Do(ctx, "INSTCMD "+joinWords(append([]string{ups, cmd}, param...))))
}

func tracking(w []string, err error) (string, error) {
	if err := expectOK(w, err); err != nil {
		return "", err
	}
	if len(w) == 3 && w[1] == "TRACKING" {
		return w[2], nil
	}
	return "", nil
}

// Logout says goodbye and closes the connection.
func (c *Client) Logout(ctx context.Context) error {
	_, err := c.Do(ctx, "LOGOUT")
	c.Close()
	return err
}

// Message is the text NUT's clients print for an error (upscli_strerror).
func (e *Error) Message() string {
	texts := map[string]string{
		"VAR-NOT-SUPPORTED": "Variable not supported by UPS", "UNKNOWN-UPS": "Unknown UPS",
		"ACCESS-DENIED": "Access denied", "PASSWORD-REQUIRED": "Password required",
		"PASSWORD-INCORRECT": "Password incorrect", "MISSING-ARGUMENT": "Missing argument",
		"DATA-STALE": "Data stale", "VAR-UNKNOWN": "Variable unknown",
		"ALREADY-LOGGED-IN": "Already logged in", "ALREADY-SET-PASSWORD": "Already set password",
		"UNKNOWN-TYPE": "Unknown variable type", "UNKNOWN-VAR": "Unknown variable",
		"READONLY": "Read-only variable", "TOO-LONG": "New value is too long",
		"INVALID-VALUE": "Invalid value for variable", "SET-FAILED": "Set command failed",
		"UNKNOWN-INSTCMD": "Unknown instant command", "INSTCMD-FAILED": "Instant command failed",
		"CMD-NOT-SUPPORTED": "Instant command not supported", "INVALID-USERNAME": "Invalid username",
		"ALREADY-SET-USERNAME": "Already set username", "UNKNOWN-COMMAND": "Unknown command",
		"INVALID-PASSWORD": "Invalid password", "USERNAME-REQUIRED": "Username required",
		"DRIVER-NOT-CONNECTED": "Driver not connected", "INVALID-ARGUMENT": "Invalid argument",
	}
	if t, ok := texts[e.Code]; ok {
		return t
	}
	return "Unknown error"
}
