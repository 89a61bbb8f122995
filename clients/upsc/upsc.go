// Package upsc is NUT's upsc: it shows a UPS's variables, the UPSes of a
// upsd, or the clients logged in to one.
package upsc

import (
	"context"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"

	"gonut/internal/getopt"
	"gonut/nutclient"
)

const usage = `Network UPS Tools upsc %s

usage: upsc -l | -L [<hostname>[:port]]
       upsc <ups> [<variable>]
       upsc -c <ups>

Demo program to display UPS variables.

First form (lists UPSes):
  -l         - lists each UPS on <hostname>, one per line.
  -L         - lists each UPS followed by its description (from ups.conf).
               Default hostname: localhost

Second form (lists variables and values):
  <ups>      - upsd server, <upsname>[@<hostname>[:<port>]] form
  <variable> - optional, display this variable only.
               Default: list all variables for <host>

Third form (lists clients connected to a device):
  -c         - lists each client connected on <ups>, one per line.
  <ups>      - upsd server, <upsname>[@<hostname>[:<port>]] form
`

// Main runs upsc; it returns the exit code. Like NUT's, it reads options
// only up to the first argument, takes -l/-L over -c, ignores arguments
// beyond those it uses, and prints its help (exit 0) for -h or an unknown
// option.
func Main(args []string, stdout, stderr io.Writer) int {
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "Error: "+format+"\n", a...)
		return 1
	}
	opts, rest, err := getopt.Parse(args, "+hlLcV")
	if err != nil {
		fmt.Fprintf(stderr, "upsc: %v\n", err)
		fmt.Fprintf(stdout, usage, "2.8.0")
		return 0
	}
	var list, verbose, clients bool
	for _, o := range opts {
		switch o.Name {
		case 'L':
			list, verbose = true, true
		case 'l':
			list = true
		case 'c':
			clients = true
		case 'V':
			fmt.Fprintln(stderr, "Network UPS Tools upsc 2.8.0")
			return 0
		case 'h':
			fmt.Fprintf(stdout, usage, "2.8.0")
			return 0
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if list {
		host, port := "localhost", nutclient.DefaultPort
		if len(rest) > 0 {
			h, p, err := nutclient.SplitAddr(rest[0])
			if err != nil {
				return fail("invalid hostname.\nRequired format: [hostname[:port]]")
			}
			host, port = h, p
		}
		c, err := nutclient.Dial(ctx, net.JoinHostPort(host, strconv.Itoa(port)), nutclient.Options{})
		if err != nil {
			return fail("Connection failure: %s", nutclient.Reason(err))
		}
		defer c.Close()
		rows, err := c.List(ctx, "UPS")
		if err != nil {
			return fail("%s", listError(err))
		}
		good, bad := complete(rows, 1, 3)
		for _, r := range good {
			if verbose {
				fmt.Fprintf(stdout, "%s: %s\n", r[0], r[1])
			} else {
				fmt.Fprintln(stdout, r[0])
			}
		}
		if bad != "" {
			return fail("%s", bad)
		}
		return 0
	}
	if len(rest) == 0 {
		return fail("invalid UPS definition.\nRequired format: upsname[@hostname[:port]]")
	}
	name, err := nutclient.ParseName(rest[0])
	if err != nil {
		fmt.Fprintf(stderr, "upsc: %v\n", err)
		return fail("invalid UPS definition.\nRequired format: upsname[@hostname[:port]]")
	}
	c, err := nutclient.Dial(ctx, name.Addr(), nutclient.Options{})
	if err != nil {
		return fail("Connection failure: %s", nutclient.Reason(err))
	}
	defer c.Close()
	switch {
	case clients:
		rows, err := c.List(ctx, "CLIENT", name.UPS)
		if err != nil {
			return fail("%s", listError(err))
		}
		good, bad := complete(rows, 2, 3)
		for _, r := range good {
			fmt.Fprintln(stdout, r[0])
		}
		if bad != "" {
			return fail("%s", bad)
		}
	case len(rest) > 1:
		if !strings.Contains(rest[1], ".") {
			return fail("old-style variable names are not supported")
		}
		v, err := c.GetVar(ctx, name.UPS, rest[1])
		if nutclient.IsCode(err, "UNKNOWN-COMMAND") {
			return fail("variable unknown (old upsd detected)")
		}
		if err != nil {
			return fail("%s", nutclient.Message(err))
		}
		fmt.Fprintln(stdout, v)
	default:
		rows, err := c.List(ctx, "VAR", name.UPS)
		if err != nil {
			return fail("%s", listError(err))
		}
		good, bad := complete(rows, 2, 4)
		for _, r := range good {
			fmt.Fprintf(stdout, "%s: %s\n", r[0], r[1])
		}
		if bad != "" {
			return fail("%s", bad)
		}
	}
	return 0
}

// listError is NUT's message for a failed LIST.
func listError(err error) string {
	if nutclient.IsCode(err, "UNKNOWN-COMMAND") {
		return "upsd is too old to support this query"
	}
	return nutclient.Message(err)
}

// complete returns the rows of a LIST answer before the first one too
// short for upsc, and NUT's words for that one ("" if none is). Rows come
// without their first prefix words (LIST VAR ups: "VAR ups"), which count
// in the length NUT checks, need.
func complete(rows [][]string, prefix, need int) (good [][]string, bad string) {
	for i, r := range rows {
		if n := prefix + len(r); n < need {
			return rows[:i], fmt.Sprintf("insufficient data (got %d args, need at least %d)", n, need)
		}
	}
	return rows, ""
}
