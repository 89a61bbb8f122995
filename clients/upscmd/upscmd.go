package upscmd

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"

	"gonut/clients/session"
	"gonut/internal/cli"
	"gonut/internal/getopt"
	"gonut/internal/version"
	"gonut/nutenv"
)

const usage = `Network UPS Tools upscmd %[1]s

usage: %[2]s [-h]
       %[2]s [-l <ups>]
       %[2]s [-u <username>] [-p <password>] [-w] [-t <timeout>] <ups> <command> [<value>]

Administration program to initiate instant commands on UPS hardware.

  -h		display this help text
  -l <ups>	show available commands on UPS <ups>
  -u <username>	set username for command authentication
  -p <password>	set password for command authentication
  -w            wait for the completion of command by the driver
                and return its actual result from the device
  -t <timeout>	set a timeout when using -w (in seconds, default: %[3]d)

  <ups>		UPS identifier - <upsname>[@<hostname>[:<port>]]
  <command>	Valid instant command - test.panel.start, etc.
  [<value>]	Additional data for command - number of seconds, etc.
`

// Main runs upscmd; it returns the exit code.
func Main(args []string, _ nutenv.Env, std cli.Stdio) int {
	prog := cli.Name(args, "upscmd")
	fail := func(format string, a ...any) int {
		fmt.Fprintf(std.Err, format+"\n", a...)
		return 1
	}
	help := func() int {
		fmt.Fprintf(std.Out, usage, version.NUT, prog, session.DefaultTrackingTimeout)
		return 0
	}
	opts, rest, err := getopt.Parse(cli.Args(args), "+lhu:p:t:wV")
	if err != nil {
		fmt.Fprintf(std.Err, "%s: %v\n", prog, err)
		return help()
	}
	var list bool
	auth := session.NewAuth()
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
			fmt.Fprintf(std.Err, "Network UPS Tools upscmd %s\n", version.NUT)
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
	if list {
		return listCommands(ctx, s, std.Out)
	}
	if len(rest) < 2 {
		return help()
	}
	if !strings.Contains(rest[1], ".") {
		return fail("Error: old command names are not supported")
	}
	if err := auth.Prompt(bufio.NewReader(std.In), std.Out, std.Err, true); err != nil {
		return fail("%v", err)
	}
	if code := s.Login(ctx); code != 0 {
		return code
	}
	req := "INSTCMD " + s.UPS + " " + rest[1]
	if len(rest) > 2 {
		req += " " + rest[2]
	}
	return s.Act(ctx, req, "command", "Instant command")
}

func listCommands(ctx context.Context, s *session.Session, out io.Writer) int {
	rows, code := s.List(ctx, "CMD")
	if code != 0 {
		return code
	}
	fmt.Fprintf(out, "Instant commands supported on UPS [%s]:\n\n", s.UPS)
	for _, r := range rows {
		if len(r) < 1 {
			continue
		}
		if d, err := s.Do(ctx, "GET CMDDESC "+s.UPS+" "+r[0]); err == nil && len(d) >= 4 {
			fmt.Fprintf(out, "%s - %s\n", r[0], d[3])
		} else {
			fmt.Fprintln(out, r[0])
		}
	}
	return 0
}
