// Package upsrw is NUT's upsrw: it lists a UPS's writable variables with
// their types and choices, and sets one.
package upsrw

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"

	"gonut/clients/upscmd"
	"gonut/config"
	"gonut/internal/getopt"
	"gonut/nutclient"
)

const usage = `Network UPS Tools %[1]s 2.8.0

usage: %[1]s [-h]
       %[1]s [-s <variable>] [-u <username>] [-p <password>] [-w] [-t <timeout>] <ups>

Demo program to set variables within UPS hardware.

  -h            display this help text
  -s <variable>	specify variable to be changed
		use -s VAR=VALUE to avoid prompting for value
  -l            show all possible read/write variables.
  -u <username> set username for command authentication
  -p <password> set password for command authentication
  -w            wait for the completion of setting by the driver
                and return its actual result from the device
  -t <timeout>	set a timeout when using -w (in seconds, default: %[2]d)

  <ups>         UPS identifier - <upsname>[@<hostname>[:<port>]]

Call without -s to show all possible read/write variables (same as -l).
`

// Main runs upsrw; it returns the exit code.
func Main(prog string, args []string, std upscmd.IO) int {
	fail := func(format string, a ...any) int {
		fmt.Fprintf(std.Stderr, format+"\n", a...)
		return 1
	}
	help := func() int {
		fmt.Fprintf(std.Stdout, usage, prog, upscmd.DefaultTrackingTimeout)
		return 0
	}
	opts, rest, err := getopt.Parse(args, "+hls:p:t:u:wV")
	if err != nil {
		fmt.Fprintf(std.Stderr, "%s: %v\n", prog, err)
		return help()
	}
	var setvar string
	auth := upscmd.NewAuth()
	for _, o := range opts {
		if ok, msg := auth.Take(o); ok {
			if msg != "" {
				return fail("%s", msg)
			}
			continue
		}
		switch o.Name {
		case 's':
			setvar = o.Value
		case 'l':
			if setvar != "" {
				fmt.Fprintln(std.Stderr, "Listing mode requested, overriding setvar specified earlier!")
				setvar = ""
			}
		case 'V':
			fmt.Fprintf(std.Stdout, "Network UPS Tools %s 2.8.0\n", prog)
			return 0
		case 'h':
			return help()
		}
	}
	if len(rest) < 1 {
		return help()
	}
	c, name, code := upscmd.Connect(prog, rest[0], auth.Timeout, std.Stderr)
	if c == nil {
		return code
	}
	defer c.Close()
	ctx := context.Background()
	if setvar == "" {
		return list(ctx, c, name.UPS, std.Stdout, fail)
	}

	in := bufio.NewReader(std.Stdin)
	if err := auth.Prompt(in, std.Stdout, std.Stderr, false); err != nil {
		return fail("%v", err)
	}
	variable, value, hasValue := strings.Cut(setvar, "=")
	if !hasValue {
		fmt.Fprintf(std.Stdout, "Enter new value for %s: ", variable)
		line, _ := in.ReadString('\n')
		value = strings.TrimSuffix(line, "\n")
	}
	if msg := auth.Login(ctx, c); msg != "" {
		return fail("%s", msg)
	}
	if !strings.Contains(variable, ".") {
		return fail("Error: old variable names are not supported")
	}
	if msg := auth.Track(ctx, c, "set variable"); msg != "" {
		return fail("%s", msg)
	}
	a, err := c.Raw(ctx, "SET VAR "+name.UPS+" "+variable+" "+quote(value))
	if err != nil {
		return fail("Set variable failed: %s", nutclient.Message(err))
	}
	return upscmd.Finish(ctx, c, a, auth.Wait, auth.Timeout, std.Stderr)
}

// quote puts a value in double quotes with NUT's escapes.
func quote(v string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	return `"` + r.Replace(v) + `"`
}

// list prints every writable variable with its description, type and
// choices, as NUT's upsrw does.
func list(ctx context.Context, c *nutclient.Client, ups string, out io.Writer, fail func(string, ...any) int) int {
	rows, err := c.List(ctx, "RW", ups)
	if err != nil {
		if nutclient.IsCode(err, "UNKNOWN-COMMAND") {
			return fail("Error: upsd is too old to support this query")
		}
		return fail("Error: %s", nutclient.Message(err))
	}
	for _, r := range rows {
		if len(r) < 2 {
			return fail("Error: insufficient data (got %d args, need at least 4)", len(r)+2)
		}
		v := r[0]
		fmt.Fprintf(out, "[%s]\n", v)
		if d, err := c.Do(ctx, "GET DESC "+ups+" "+v); err == nil && len(d) >= 4 {
			fmt.Fprintln(out, d[3])
		} else {
			fmt.Fprintln(out, "Description unavailable")
		}
		if code := showType(ctx, c, ups, v, out, fail); code != 0 {
			return code
		}
		fmt.Fprintln(out)
	}
	return 0
}

func showType(ctx context.Context, c *nutclient.Client, ups, v string, out io.Writer, fail func(string, ...any) int) int {
	t, err := c.Do(ctx, "GET TYPE "+ups+" "+v)
	if err != nil || len(t) < 3 {
		fmt.Fprintln(out, "Unknown type")
		return 0
	}
	value := func(what string) (string, bool) {
		w, err := c.Do(ctx, "GET VAR "+ups+" "+v)
		if err != nil || len(w) < 4 {
			fail("%s: can't get current value of %s", what, v)
			return "", false
		}
		return w[3], true
	}
	isEnum := false
	for _, word := range t[3:] {
		switch up := strings.ToUpper(word); {
		case up == "ENUM":
			isEnum = true
		case up == "RANGE":
			cur, ok := value("do_range")
			if !ok {
				return 1
			}
			return showRange(ctx, c, ups, v, cur, out, fail)
		case strings.HasPrefix(up, "STRING:"):
			n := config.Atoi(word[7:])
			if isEnum {
				return showEnum(ctx, c, ups, v, "STRING", n, out, fail)
			}
			cur, ok := value("do_string")
			if !ok {
				return 1
			}
			fmt.Fprintf(out, "Type: STRING\nMaximum length: %d\nValue: %s\n", n, cur)
			return 0
		case up == "NUMBER":
			if isEnum {
				return showEnum(ctx, c, ups, v, "NUMBER", 0, out, fail)
			}
			cur, ok := value("do_number")
			if !ok {
				return 1
			}
			fmt.Fprintf(out, "Type: NUMBER\nValue: %s\n", cur)
			return 0
		case up == "RW":
		default:
			fmt.Fprintf(out, "Type: %s (unrecognized)\n", word)
		}
	}
	if isEnum {
		return showEnum(ctx, c, ups, v, "", 0, out, fail)
	}
	return 0
}

func showEnum(ctx context.Context, c *nutclient.Client, ups, v, kind string, length int, out io.Writer, fail func(string, ...any) int) int {
	w, err := c.Do(ctx, "GET VAR "+ups+" "+v)
	if err != nil || len(w) < 4 {
		return fail("do_enum: can't get current value of %s", v)
	}
	cur := w[3]
	rows, err := c.List(ctx, "ENUM", ups, v)
	if err != nil {
		return fail("Error: %s", nutclient.Message(err))
	}
	if kind != "" {
		fmt.Fprintf(out, "Type: ENUM %s\n", kind)
	} else {
		fmt.Fprintln(out, "Type: ENUM")
	}
	if kind == "STRING" {
		fmt.Fprintf(out, "Maximum length: %d\n", length)
	}
	for _, r := range rows {
		if len(r) < 1 {
			return fail("Error: insufficient data (got %d args, need at least 4)", len(r)+3)
		}
		sel := ""
		if r[0] == cur {
			sel = " SELECTED"
		}
		fmt.Fprintf(out, "Option: \"%s\"%s\n", r[0], sel)
	}
	return 0
}

func showRange(ctx context.Context, c *nutclient.Client, ups, v, cur string, out io.Writer, fail func(string, ...any) int) int {
	rows, err := c.List(ctx, "RANGE", ups, v)
	if err != nil {
		return fail("Error: %s", nutclient.Message(err))
	}
	now := config.Atoi(cur)
	fmt.Fprintln(out, "Type: RANGE NUMBER")
	for _, r := range rows {
		if len(r) < 2 {
			return fail("Error: insufficient data (got %d args, need at least 4)", len(r)+3)
		}
		lo, hi := config.Atoi(r[0]), config.Atoi(r[1])
		sel := ""
		if now >= lo && now <= hi {
			sel = " SELECTED"
		}
		fmt.Fprintf(out, "Option: \"%d-%d\"%s\n", lo, hi, sel)
	}
	return 0
}
