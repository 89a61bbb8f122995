package upscmd

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
)

// Auth is what upscmd and upsrw take to act on a UPS: -u, -p, -w, -t.
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

// Login sends USERNAME and PASSWORD. It returns the message to fail
// with, or "".
func (a *Auth) Login(ctx context.Context, c *nutclient.Client) string {
	if _, err := c.Raw(ctx, "USERNAME "+a.User); err != nil {
		return "Set username failed: " + nutclient.Message(err)
	}
	if _, err := c.Raw(ctx, "PASSWORD "+a.Password); err != nil {
		return "Set password failed: " + nutclient.Message(err)
	}
	return ""
}

// Track sends SET TRACKING ON when -w asks for it; what is the kind of
// request tracked ("command", "set variable"), for messages. It returns
// the message to fail with, or "".
func (a *Auth) Track(ctx context.Context, c *nutclient.Client, what string) string {
	if !a.Wait {
		return ""
	}
	ans, err := c.Raw(ctx, "SET TRACKING ON")
	if err != nil {
		return "Enabling " + what + " status tracking failed: " + nutclient.Message(err)
	}
	if !strings.HasPrefix(ans, "OK") {
		return "Enabling " + what + " status tracking failed. upsd answered: " + ans
	}
	return ""
}

// Connect reads a UPS name (upsname[@hostname[:port]]) and connects to its
// upsd, printing NUT's errors; code is the exit code when c is nil.
func Connect(prog, ups string, timeout int, stderr io.Writer) (c *nutclient.Client, name nutclient.Name, code int) {
	name, err := nutclient.ParseName(ups)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", prog, err)
		fmt.Fprintln(stderr, "Error: invalid UPS definition.  Required format: upsname[@hostname[:port]]")
		return nil, name, 1
	}
	c, err = nutclient.Dial(context.Background(), name.Addr(), nutclient.Options{Timeout: time.Duration(timeout+10) * time.Second})
	if err != nil {
		fmt.Fprintf(stderr, "Error: Connection failure: %s\n", nutclient.Reason(err))
		return nil, name, 1
	}
	return c, name, 0
}
