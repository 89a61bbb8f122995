package upsc

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"gonut/internal/cli"
	"gonut/internal/getopt"
	"gonut/internal/version"
	"gonut/nutclient"
	"gonut/nutenv"
	"gonut/upsname"
)

// usage is Debian's 2.8.0 help with NUT master's lines for -j.
const usage = `Network UPS Tools upsc %s

usage: upsc [-j] -l | -L [<hostname>[:port]]
       upsc [-j] <ups> [<variable>]
       upsc [-j] -c <ups>

Demo program to display UPS variables.

Option:
  -j         - display output in JSON format

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
// option. With -j (NUT master's) it prints JSON on stdout, errors
// included, and still "Error: ..." on stderr.
func Main(args []string, _ nutenv.Env, std cli.Stdio) int {
	stdout, stderr := std.Out, std.Err
	opts, rest, err := getopt.Parse(cli.Args(args), "+hlLcVj")
	if err != nil {
		fmt.Fprintf(stderr, "upsc: %v\n", err)
		fmt.Fprintf(stdout, usage, version.NUT)
		return 0
	}
	var list, verbose, clients bool
	p := printer{stdout: stdout, stderr: stderr}
	for _, o := range opts {
		switch o.Name {
		case 'L':
			list, verbose = true, true
		case 'l':
			list = true
		case 'c':
			clients = true
		case 'j':
			p.json = true
		case 'V':
			fmt.Fprintln(stderr, "Network UPS Tools upsc "+version.NUT)
			return 0
		case 'h':
			fmt.Fprintf(stdout, usage, version.NUT)
			return 0
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if list {
		return listUPSes(ctx, p, rest, verbose)
	}
	if len(rest) == 0 {
		return p.fail(oneValue, "invalid UPS definition.\nRequired format: upsname[@hostname[:port]]")
	}
	name, err := upsname.Parse(rest[0])
	if err != nil {
		fmt.Fprintf(stderr, "upsc: %v\n", err)
		return p.fail(oneValue, "invalid UPS definition.\nRequired format: upsname[@hostname[:port]]")
	}
	c, err := nutclient.Dial(ctx, name.Addr(), nutclient.Options{})
	if err != nil {
		return p.fail(oneValue, "Connection failure: "+nutclient.Reason(err))
	}
	defer c.Close()
	switch {
	case clients:
		rows, err := c.List(ctx, "CLIENT", name.UPS)
		if err != nil {
			return p.fail(oneValue, listError(err))
		}
		good, bad := complete(rows, 2, 3)
		return p.rows(array, bad, func() { p.list(column(good, 0)) })
	case len(rest) > 1:
		if !strings.Contains(rest[1], ".") {
			return p.fail(oneValue, "old-style variable names are not supported")
		}
		v, err := c.GetVar(ctx, name.UPS, rest[1])
		if nutclient.IsCode(err, "UNKNOWN-COMMAND") {
			return p.fail(oneValue, "variable unknown (old upsd detected)")
		}
		if err != nil {
			return p.fail(oneValue, nutclient.Message(err))
		}
		p.value(v)
	default:
		rows, err := c.List(ctx, "VAR", name.UPS)
		if err != nil {
			return p.fail(object, listError(err))
		}
		good, bad := complete(rows, 2, 4)
		return p.rows(object, bad, func() { p.pairs(columns(good)) })
	}
	return 0
}

// listUPSes is upsc -l and -L.
func listUPSes(ctx context.Context, p printer, rest []string, verbose bool) int {
	host, port := "localhost", upsname.DefaultPort
	if len(rest) > 0 {
		h, n, err := upsname.SplitAddr(rest[0])
		if err != nil {
			return p.fail(oneValue, "invalid hostname.\nRequired format: [hostname[:port]]")
		}
		host, port = h, n
	}
	c, err := nutclient.Dial(ctx, net.JoinHostPort(host, strconv.Itoa(port)), nutclient.Options{})
	if err != nil {
		return p.fail(oneValue, "Connection failure: "+nutclient.Reason(err))
	}
	defer c.Close()
	rows, err := c.List(ctx, "UPS")
	if err != nil {
		return p.fail(oneValue, listError(err))
	}
	good, bad := complete(rows, 1, 3)
	if verbose {
		return p.rows(object, bad, func() { p.pairs(columns(good)) })
	}
	return p.rows(array, bad, func() { p.list(column(good, 0)) })
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

// column is the i-th word of each row.
func column(rows [][]string, i int) []string {
	out := make([]string, len(rows))
	for j, r := range rows {
		out[j] = r[i]
	}
	return out
}

// columns is the first two words of each row.
func columns(rows [][]string) [][2]string {
	out := make([][2]string, len(rows))
	for j, r := range rows {
		out[j] = [2]string{r[0], r[1]}
	}
	return out
}
