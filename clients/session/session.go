package session

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"gonut/clients/prompt"
	"gonut/internal/getopt"
	"gonut/nutclient"
	"gonut/upsname"
)

// DefaultTrackingTimeout is NUT's default for -t, in seconds.
const DefaultTrackingTimeout = 10

// Auth is who acts on a UPS, and how: -u, -p, -w, -t.
type Auth struct {
	User, Password     string
	HaveUser, HavePass bool
	Wait               bool
	Timeout            int // seconds, for -w
}

// NewAuth has NUT's defaults.
func NewAuth() *Auth { return &Auth{Timeout: DefaultTrackingTimeout} }

// Take reads one of -u, -p, -w, -t; it reports whether the option was one
// of them, and a message when its value is wrong.
func (a *Auth) Take(o getopt.Opt) (bool, string) {
	switch o.Name {
	case 'u':
		a.User, a.HaveUser = o.Value, true
	case 'p':
		a.Password, a.HavePass = o.Value, true
	case 'w':
		a.Wait = true
	case 't':
		// As NUT's str_to_uint: blanks around, then C's unsigned int.
		n, err := strconv.ParseUint(strings.TrimSpace(o.Value), 10, 32)
		if err != nil {
			why := "Invalid argument"
			if errors.Is(err, strconv.ErrRange) {
				why = "Numerical result out of range"
			}
			return true, "Could not convert the provided value for timeout ('-t' option) to unsigned int: " + why
		}
		a.Timeout = int(n)
	default:
		return false, ""
	}
	return true, ""
}

// Prompt asks for what -u and -p did not give, as NUT's clients do: the
// username on out, the password on errOut (without a terminal). With
// strict (upscmd), standard input that ends before a username is an error.
func (a *Auth) Prompt(in *bufio.Reader, out, errOut io.Writer, strict bool) error {
	var err error
	if !a.HaveUser {
		a.User, err = prompt.Username(in, out)
		switch {
		case err == io.EOF && strict:
			return errors.New("Error reading from stdin!")
		case err != nil && err != io.EOF:
			return err
		}
	}
	if !a.HavePass {
		a.Password, err = prompt.Password(in, errOut)
	}
	return err
}

// Session is a connection to the upsd of one UPS, for upscmd or upsrw.
// Its methods print NUT's messages on stderr and return exit codes.
type Session struct {
	*nutclient.Client
	UPS    string // the UPS's name at its upsd
	auth   *Auth
	stderr io.Writer
}

// Open reads a UPS name (upsname[@hostname[:port]]) and connects to its
// upsd, printing NUT's errors; code is the exit code when s is nil.
func Open(prog, ups string, auth *Auth, stderr io.Writer) (s *Session, code int) {
	name, err := upsname.Parse(ups)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", prog, err)
		fmt.Fprintln(stderr, "Error: invalid UPS definition.  Required format: upsname[@hostname[:port]]")
		return nil, 1
	}
	c, err := nutclient.Dial(context.Background(), name.Addr(), nutclient.Options{Timeout: time.Duration(auth.Timeout+10) * time.Second})
	if err != nil {
		fmt.Fprintf(stderr, "Error: Connection failure: %s\n", nutclient.Reason(err))
		return nil, 1
	}
	return &Session{Client: c, UPS: name.UPS, auth: auth, stderr: stderr}, 0
}

// Fail prints a message as NUT's clients end with one; it returns 1.
func (s *Session) Fail(format string, a ...any) int {
	fmt.Fprintf(s.stderr, format+"\n", a...)
	return 1
}

// List is one of the UPS's lists (CMD, RW, ENUM <var>, RANGE <var>);
// code is the exit code when it cannot be had.
func (s *Session) List(ctx context.Context, kind string, args ...string) (rows [][]string, code int) {
	rows, err := s.Client.List(ctx, append([]string{kind, s.UPS}, args...)...)
	switch {
	case err == nil:
		return rows, 0
	case len(args) == 0 && nutclient.IsCode(err, "UNKNOWN-COMMAND"):
		return nil, s.Fail("Error: upsd is too old to support this query")
	}
	return nil, s.Fail("Error: %s", nutclient.Message(err))
}

// Login sends USERNAME and PASSWORD; it returns 0, or the exit code.
func (s *Session) Login(ctx context.Context) int {
	if _, err := s.Raw(ctx, "USERNAME "+s.auth.User); err != nil {
		return s.Fail("Set username failed: %s", nutclient.Message(err))
	}
	if _, err := s.Raw(ctx, "PASSWORD "+s.auth.Password); err != nil {
		return s.Fail("Set password failed: %s", nutclient.Message(err))
	}
	return 0
}

// Act sends the request that changes the UPS (INSTCMD, SET VAR) and
// reports upsd's answer as upscmd and upsrw do; it returns the exit code.
// With -w it asks for tracking first and waits for the driver's result.
// tracked and refused name the request in messages: "command" when
// tracking cannot be had, "Instant command" when upsd refuses it.
func (s *Session) Act(ctx context.Context, request, tracked, refused string) int {
	if s.auth.Wait {
		ans, err := s.Raw(ctx, "SET TRACKING ON")
		if err != nil {
			return s.Fail("Enabling %s status tracking failed: %s", tracked, nutclient.Message(err))
		}
		if !strings.HasPrefix(ans, "OK") {
			return s.Fail("Enabling %s status tracking failed. upsd answered: %s", tracked, ans)
		}
	}
	answer, err := s.Raw(ctx, request)
	if err != nil {
		return s.Fail("%s failed: %s", refused, nutclient.Message(err))
	}
	if !strings.HasPrefix(answer, "OK") {
		return s.Fail("Unexpected response from upsd: %s", answer)
	}
	id, isTracked := strings.CutPrefix(answer, "OK TRACKING ")
	if !s.auth.Wait || !isTracked || len(id) != 36 {
		fmt.Fprintln(s.stderr, answer)
		return 0
	}
	result, err := s.WaitTracking(ctx, id, time.Duration(s.auth.Timeout)*time.Second, time.Sleep)
	if err != nil {
		return s.Fail("Can't receive status tracking information: %s", nutclient.Message(err))
	}
	fmt.Fprintln(s.stderr, result)
	return 0
}
