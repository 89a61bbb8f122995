// Package upscmd is NUT's upscmd: it lists a UPS's instant commands and
// runs one, optionally waiting for the driver's result (TRACKING).
package upscmd

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"gonut/internal/getopt"
	"gonut/nutclient"
)

// DefaultTrackingTimeout is NUT's default for -t, in seconds.
const DefaultTrackingTimeout = 10

const usage = `Network UPS Tools upscmd 2.8.0

usage: %[1]s [-h]
       %[1]s [-l <ups>]
       %[1]s [-u <username>] [-p <password>] [-w] [-t <timeout>] <ups> <command> [<value>]

Administration program to initiate instant commands on UPS hardware.

  -h		display this help text
  -l <ups>	show available commands on UPS <ups>
  -u <username>	set username for command authentication
  -p <password>	set password for command authentication
  -w            wait for the completion of command by the driver
                and return its actual result from the device
  -t <timeout>	set a timeout when using -w (in seconds, default: %[2]d)

  <ups>		UPS identifier - <upsname>[@<hostname>[:<port>]]
  <command>	Valid instant command - test.panel.start, etc.
  [<value>]	Additional data for command - number of seconds, etc.
`

// IO is where a client program reads and writes.
type IO struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

// Main runs upscmd; it returns the exit code.
func Main(prog string, args []string, std IO) int {
	fail := func(format string, a ...any) int {
		fmt.Fprintf(std.Stderr, format+"\n", a...)
		return 1
	}
	opts, rest, err := getopt.Parse(args, "+lhu:p:t:wV")
	if err != nil {
		fmt.Fprintf(std.Stderr, "%s: %v\n", prog, err)
		fmt.Fprintf(std.Stdout, usage, prog, DefaultTrackingTimeout)
		return 0
	}
	var list bool
	auth := NewAuth()
	for _, o := range opts {
		if ok, msg := auth.Take(o); ok {
			if msg != "" {
				return fail("%s", msg)
			}
			continue
		}
		switch o.Name {
		case 'l':
			list = true
		case 'V':
			fmt.Fprintln(std.Stderr, "Network UPS Tools upscmd 2.8.0")
			return 0
		case 'h':
			fmt.Fprintf(std.Stdout, usage, prog, DefaultTrackingTimeout)
			return 0
		}
	}
	if len(rest) < 1 {
		fmt.Fprintf(std.Stdout, usage, prog, DefaultTrackingTimeout)
		return 0
	}
	c, name, code := Connect(prog, rest[0], auth.Timeout, std.Stderr)
	if c == nil {
		return code
	}
	defer c.Close()
	ctx := context.Background()
	if list {
		return listCommands(ctx, c, name.UPS, std.Stdout, fail)
	}
	if len(rest) < 2 {
		fmt.Fprintf(std.Stdout, usage, prog, DefaultTrackingTimeout)
		return 0
	}
	if !strings.Contains(rest[1], ".") {
		return fail("Error: old command names are not supported")
	}
	if err := auth.Prompt(bufio.NewReader(std.Stdin), std.Stdout, std.Stderr, true); err != nil {
		return fail("%v", err)
	}
	if msg := auth.Login(ctx, c); msg != "" {
		return fail("%s", msg)
	}
	if msg := auth.Track(ctx, c, "command"); msg != "" {
		return fail("%s", msg)
	}
	req := "INSTCMD " + name.UPS + " " + rest[1]
	if len(rest) > 2 {
		req += " " + rest[2]
	}
	a, err := c.Raw(ctx, req)
	if err != nil {
		return fail("Instant command failed: %s", nutclient.Message(err))
	}
	return Finish(ctx, c, a, auth.Wait, auth.Timeout, std.Stderr)
}

// Finish reports upsd's answer to INSTCMD or SET VAR as upscmd and upsrw
// do: an unexpected answer fails; with -w and a tracking id it waits for
// the driver's result and prints that instead.
func Finish(ctx context.Context, c *nutclient.Client, answer string, wait bool, timeout int, stderr io.Writer) int {
	if !strings.HasPrefix(answer, "OK") {
		fmt.Fprintf(stderr, "Unexpected response from upsd: %s\n", answer)
		return 1
	}
	id, tracked := strings.CutPrefix(answer, "OK TRACKING ")
	if !wait || !tracked || len(id) != 36 {
		fmt.Fprintln(stderr, answer)
		return 0
	}
	result, err := c.WaitTracking(ctx, id, time.Duration(timeout)*time.Second, time.Sleep)
	if err != nil {
		fmt.Fprintf(stderr, "Can't receive status tracking information: %s\n", nutclient.Message(err))
		return 1
	}
	fmt.Fprintln(stderr, result)
	return 0
}

func listCommands(ctx context.Context, c *nutclient.Client, ups string, out io.Writer, fail func(string, ...any) int) int {
	rows, err := c.List(ctx, "CMD", ups)
	if err != nil {
		if nutclient.IsCode(err, "UNKNOWN-COMMAND") {
			return fail("Error: upsd is too old to support this query")
		}
		return fail("Error: %s", nutclient.Message(err))
	}
	fmt.Fprintf(out, "Instant commands supported on UPS [%s]:\n\n", ups)
	for _, r := range rows {
		if len(r) < 1 {
			continue
		}
		if d, err := c.Do(ctx, "GET CMDDESC "+ups+" "+r[0]); err == nil && len(d) >= 4 {
			fmt.Fprintf(out, "%s - %s\n", r[0], d[3])
		} else {
			fmt.Fprintln(out, r[0])
		}
	}
	return 0
}
