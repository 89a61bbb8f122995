package upsrw

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"

	"gonut/clients/session"
	"gonut/config"
	"gonut/internal/cli"
	"gonut/internal/getopt"
	"gonut/internal/version"
	"gonut/nutenv"
)

const usage = `Network UPS Tools %[1]s %[2]s

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
  -t <timeout>	set a timeout when using -w (in seconds, default: %[3]d)

  <ups>         UPS identifier - <upsname>[@<hostname>[:<port>]]

Call without -s to show all possible read/write variables (same as -l).
`

// Main runs upsrw; it returns the exit code.
func Main(args []string, _ nutenv.Env, std cli.Stdio) int {
	prog := cli.Name(args, "upsrw")
	fail := func(format string, a ...any) int {
		fmt.Fprintf(std.Err, format+"\n", a...)
		return 1
	}
	help := func() int {
		fmt.Fprintf(std.Out, usage, prog, version.NUT, session.DefaultTrackingTimeout)
		return 0
	}
	opts, rest, err := getopt.Parse(cli.Args(args), "+hls:p:t:u:wV")
	if err != nil {
		fmt.Fprintf(std.Err, "%s: %v\n", prog, err)
		return help()
	}
	var setvar string
	auth := session.NewAuth()
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
				fmt.Fprintln(std.Err, "Listing mode requested, overriding setvar specified earlier!")
				setvar = ""
			}
		case 'V':
			fmt.Fprintf(std.Out, "Network UPS Tools %s %s\n", prog, version.NUT)
			return 0
		case 'h':
			return help()
		}
	}
	if len(rest) < 1 {
		return help()
	}
	s, code := session.Open(prog, rest[0], auth, std.Err)
	if s == nil {
		return code
	}
	defer s.Close()
	ctx := context.Background()
	if setvar == "" {
		return list(ctx, s, std.Out)
	}

	in := bufio.NewReader(std.In)
	if err := auth.Prompt(in, std.Out, std.Err, false); err != nil {
		return fail("%v", err)
	}
	variable, value, hasValue := strings.Cut(setvar, "=")
	if !hasValue {
		fmt.Fprintf(std.Out, "Enter new value for %s: ", variable)
		line, _ := in.ReadString('\n')
		value = strings.TrimSuffix(line, "\n")
	}
	if code := s.Login(ctx); code != 0 {
		return code
	}
	if !strings.Contains(variable, ".") {
		return fail("Error: old variable names are not supported")
	}
	return s.Act(ctx, "SET VAR "+s.UPS+" "+variable+" "+quote(value), "set variable", "Set variable")
}

// quote puts a value in double quotes with NUT's escapes.
func quote(v string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	return `"` + r.Replace(v) + `"`
}

// list prints every writable variable with its description, type and
// choices, as NUT's upsrw does.
func list(ctx context.Context, s *session.Session, out io.Writer) int {
	rows, code := s.List(ctx, "RW")
	if code != 0 {
		return code
	}
	for _, r := range rows {
		if len(r) < 2 {
			return s.Fail("Error: insufficient data (got %d args, need at least 4)", len(r)+2)
		}
		v := r[0]
		fmt.Fprintf(out, "[%s]\n", v)
		if d, err := s.Do(ctx, "GET DESC "+s.UPS+" "+v); err == nil && len(d) >= 4 {
			fmt.Fprintln(out, d[3])
		} else {
			fmt.Fprintln(out, "Description unavailable")
		}
		if code := showType(ctx, s, v, out); code != 0 {
			return code
		}
		fmt.Fprintln(out)
	}
	return 0
}

func showType(ctx context.Context, s *session.Session, v string, out io.Writer) int {
	t, err := s.Do(ctx, "GET TYPE "+s.UPS+" "+v)
	if err != nil || len(t) < 3 {
		fmt.Fprintln(out, "Unknown type")
		return 0
	}
	value := func(what string) (string, bool) {
		w, err := s.Do(ctx, "GET VAR "+s.UPS+" "+v)
		if err != nil || len(w) < 4 {
			s.Fail("%s: can't get current value of %s", what, v)
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
			return showRange(ctx, s, v, cur, out)
		case strings.HasPrefix(up, "STRING:"):
			n := config.Atoi(word[7:])
			if isEnum {
				return showEnum(ctx, s, v, "STRING", n, out)
			}
			cur, ok := value("do_string")
			if !ok {
				return 1
			}
			fmt.Fprintf(out, "Type: STRING\nMaximum length: %d\nValue: %s\n", n, cur)
			return 0
		case up == "NUMBER":
			if isEnum {
				return showEnum(ctx, s, v, "NUMBER", 0, out)
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
		return showEnum(ctx, s, v, "", 0, out)
	}
	return 0
}

func showEnum(ctx context.Context, s *session.Session, v, kind string, length int, out io.Writer) int {
	w, err := s.Do(ctx, "GET VAR "+s.UPS+" "+v)
	if err != nil || len(w) < 4 {
		return s.Fail("do_enum: can't get current value of %s", v)
	}
	cur := w[3]
	rows, code := s.List(ctx, "ENUM", v)
	if code != 0 {
		return code
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
			return s.Fail("Error: insufficient data (got %d args, need at least 4)", len(r)+3)
		}
		sel := ""
		if r[0] == cur {
			sel = " SELECTED"
		}
		fmt.Fprintf(out, "Option: \"%s\"%s\n", r[0], sel)
	}
	return 0
}

func showRange(ctx context.Context, s *session.Session, v, cur string, out io.Writer) int {
	rows, code := s.List(ctx, "RANGE", v)
	if code != 0 {
		return code
	}
	now := config.Atoi(cur)
	fmt.Fprintln(out, "Type: RANGE NUMBER")
	for _, r := range rows {
		if len(r) < 2 {
			return s.Fail("Error: insufficient data (got %d args, need at least 4)", len(r)+3)
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
