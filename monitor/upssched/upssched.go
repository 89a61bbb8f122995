package upssched

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"

	"gonut/config"
	"gonut/internal/accept"
	"gonut/internal/cli"
	"gonut/internal/daemon"
	"gonut/internal/process"
	"gonut/internal/version"
	"gonut/nutenv"
	"gonut/words"
)

// daemonEnv marks the timer daemon, started by the first upssched that
// needs it.
const daemonEnv = "GONUT_UPSSCHED_DAEMON"

// Main runs upssched; it returns the exit code.
func Main(args []string, env nutenv.Env, std cli.Stdio) int {
	stderr := std.Err
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "upssched: "+format+"\n", a...)
		return 1
	}
	for _, a := range cli.Args(args) {
		if a == "-V" {
			fmt.Fprintf(std.Out, "Network UPS Tools upssched %s (gonut)\n", version.NUT)
			return 0
		}
	}
	// Run by hand (upssched -h, say), it answers as NUT's, which takes no
	// options: on standard output, before it reads its configuration.
	if env(daemonEnv) == "" && (env("UPSNAME") == "" || env("NOTIFYTYPE") == "") {
		fmt.Fprint(std.Out, "Error: UPSNAME and NOTIFYTYPE must be set.\nThis program should only be run from upsmon.\n")
		return 1
	}
	// Its timer daemon lives as long as a timer runs, and CMDSCRIPT may
	// leave processes behind: neither holds what upssched inherited (a
	// pipe its starter waits to see the end of).
	process.CloseOnExecInherited()
	file := env.ConfFile("upssched.conf")
	conf, errs := config.LoadUpsschedConf(file)
	for _, e := range errs {
		fmt.Fprintln(stderr, e)
	}
	if conf == nil || config.Unusable(errs) != nil {
		return fail("cannot use %s", file)
	}
	if env(daemonEnv) != "" {
		var log io.Writer = io.Discard
		if w := daemon.Syslog(); w != nil {
			log = w
		}
		return serve(conf, log)
	}
	ups, event := env("UPSNAME"), env("NOTIFYTYPE")
	code := 0
	for _, at := range conf.At {
		// A line is judged only when it applies, as NUT's upssched does.
		if !at.Matches(event, ups) {
			continue
		}
		for _, e := range at.Problems {
			fmt.Fprintln(stderr, e)
		}
		if !at.Usable() {
			continue
		}
		switch at.Action {
		case config.Execute:
			runScript(conf, at.Command(), stderr)
		case config.StartTimer, config.StartTimerShared:
			cmd := "START"
			if at.Action == config.StartTimerShared {
				cmd = "START-SHARED"
			}
			if _, err := ask(conf, fmt.Sprintf("%s %s %d %s %s", cmd, words.Quote(at.Timer()), at.Seconds(), words.Quote(ups), words.Quote(event)), stderr); err != nil {
				code = fail("START-TIMER %s: %v", at.Timer(), err)
			}
		case config.CancelTimer, config.CancelTimerMatched:
			cmd := "CANCEL"
			if at.Action == config.CancelTimerMatched {
				cmd = "CANCEL-MATCHED"
			}
			answer, err := ask(conf, fmt.Sprintf("%s %s %s", cmd, words.Quote(at.Timer()), words.Quote(ups)), stderr)
			if err != nil && !errors.Is(err, errNoDaemon) {
				code = fail("CANCEL-TIMER %s: %v", at.Timer(), err)
				continue
			}
			// No timer to cancel: the optional command runs instead.
			if answer != "CANCELLED" && at.Command() != "" {
				runScript(conf, at.Command(), stderr)
			}
		}
	}
	return code
}

// runScript runs CMDSCRIPT with one more argument, waiting for it.
func runScript(conf *config.UpsschedConf, arg string, log io.Writer) {
	if len(conf.CmdScript) == 0 {
		fmt.Fprintf(log, "upssched: No CMDSCRIPT defined, cannot execute command: %s\n", arg)
		return
	}
	var cmd *exec.Cmd
	if len(conf.CmdScript) == 1 && strings.ContainsAny(conf.CmdScript[0], " \t") {
		// NUT 2.8.0 ran "CMDSCRIPT arg" through the shell.
		cmd = exec.Command("/bin/sh", "-c", conf.CmdScript[0]+" "+arg)
	} else {
		cmd = exec.Command(conf.CmdScript[0], append(conf.CmdScript[1:], arg)...)
	}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Run(); err != nil {
		fmt.Fprintf(log, "upssched: exec_cmd(%s '%s'): %v\n", strings.Join(conf.CmdScript, " "), arg, err)
	}
}

var errNoDaemon = errors.New("no timer daemon")

// ask sends one request to the timer daemon, starting it when needed
// (START only), and returns its answer. LOCKFN keeps two upssched from
// starting two daemons. A daemon that exits (its last timer gone) just as
// the request comes closes the connection unanswered: a START then tries
// again, with a new daemon; a CANCEL finds no timer, as NUT's does.
func ask(conf *config.UpsschedConf, req string, log io.Writer) (string, error) {
	return askWith(conf, req, func() (net.Conn, error) { return startDaemon(conf, log) })
}

func askWith(conf *config.UpsschedConf, req string, start func() (net.Conn, error)) (answer string, err error) {
	if conf.PipeFn == "" {
		return "", errors.New("PIPEFN is not set in upssched.conf")
	}
	cancel := strings.HasPrefix(req, "CANCEL")
	for range 3 {
		conn, err := net.Dial("unix", conf.PipeFn)
		if err != nil {
			if cancel {
				return "", errNoDaemon
			}
			if conn, err = start(); err != nil {
				return "", err
			}
		}
		if answer, err = exchange(conn, req); err == nil {
			return answer, nil
		}
		if cancel {
			return "", errNoDaemon
		}
	}
	return "", fmt.Errorf("no answer from the timer daemon: %v", err)
}

// exchange sends a request on conn and reads its answer.
func exchange(conn net.Conn, req string) (string, error) {
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := conn.Write([]byte(req + "\n")); err != nil {
		return "", err
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(line), nil
}

func startDaemon(conf *config.UpsschedConf, log io.Writer) (net.Conn, error) {
	if conf.LockFn != "" {
		lock, err := os.OpenFile(conf.LockFn, os.O_CREATE|os.O_RDWR, 0o600)
		if err != nil {
			return nil, fmt.Errorf("LOCKFN %s: %v", conf.LockFn, err)
		}
		defer lock.Close()
		if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
			return nil, fmt.Errorf("LOCKFN %s: %v", conf.LockFn, err)
		}
		defer syscall.Flock(int(lock.Fd()), syscall.LOCK_UN)
		// Another upssched may have started it while we waited.
		if conn, err := net.Dial("unix", conf.PipeFn); err == nil {
			return conn, nil
		}
	}
	self, err := os.Executable()
	if err != nil {
		self = os.Args[0]
	}
	cmd := exec.Command(self)
	cmd.Env = append(os.Environ(), daemonEnv+"=1")
	// Detached, its output to nowhere: whoever waits for this upssched
	// (upsmon, a test) must not wait for the daemon too. It logs to syslog.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("cannot start the timer daemon: %v", err)
	}
	go cmd.Wait()
	for i := 0; i < 100; i++ {
		if conn, err := net.Dial("unix", conf.PipeFn); err == nil {
			return conn, nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return nil, fmt.Errorf("the timer daemon did not open %s", conf.PipeFn)
}

// serve is the timer daemon: requests on PIPEFN, CMDSCRIPT when a timer
// is due, and an exit once no timer is left.
func serve(conf *config.UpsschedConf, log io.Writer) int {
	os.Remove(conf.PipeFn)
	l, err := net.Listen("unix", conf.PipeFn)
	if err != nil {
		fmt.Fprintf(log, "upssched: bind %s failed: %v\n", conf.PipeFn, err)
		return 1
	}
	os.Chmod(conf.PipeFn, 0o660)
	defer os.Remove(conf.PipeFn)
	type request struct {
		words []string
		reply chan string
	}
	reqs := make(chan request)
	retry := accept.Retrier{Report: func(err error) { fmt.Fprintf(log, "upssched: accept on %s: %v, trying again\n", conf.PipeFn, err) }}
	go func() {
		for {
			c, err := retry.Accept(l)
			if err != nil {
				return
			}
			go func(c net.Conn) {
				defer c.Close()
				c.SetDeadline(time.Now().Add(10 * time.Second))
				line, err := bufio.NewReader(io.LimitReader(c, 4096)).ReadString('\n')
				if err != nil {
					return
				}
				w, err := words.Split(strings.TrimSpace(line))
				if err != nil || len(w) == 0 {
					c.Write([]byte("ERR\n"))
					return
				}
				reply := make(chan string, 1)
				reqs <- request{w, reply}
				c.Write([]byte(<-reply + "\n"))
			}(c)
		}
	}()
	var t Timers
	// The first request arrives right after start; wait a little for it.
	idle := time.NewTimer(2 * time.Second)
	for {
		var due <-chan time.Time
		if next, ok := t.Next(); ok {
			due = time.After(time.Until(next))
		}
		select {
		case r := <-reqs:
			r.reply <- handle(&t, r.words, time.Now(), log)
		case <-due:
			for _, name := range t.Due(time.Now()) {
				fmt.Fprintf(log, "upssched: Event: %s\n", name)
				runScript(conf, name, log)
			}
		case <-idle.C:
		}
		if t.Len() == 0 {
			// Stay a moment for a START that may follow a CANCEL.
			select {
			case r := <-reqs:
				r.reply <- handle(&t, r.words, time.Now(), log)
				continue
			case <-time.After(time.Second):
			}
			if t.Len() == 0 {
				fmt.Fprintln(log, "upssched: Timer queue empty, exiting")
				l.Close()
				return 0
			}
		}
	}
}

// handle answers one request to the daemon.
func handle(t *Timers, w []string, now time.Time, log io.Writer) string {
	switch {
	case (w[0] == "START" || w[0] == "START-SHARED") && len(w) == 5:
		secs, err := strconv.Atoi(w[2])
		if err != nil || secs < 0 {
			return "ERR"
		}
		if t.Start(w[1], w[3], w[4], time.Duration(secs)*time.Second, now, w[0] == "START-SHARED") {
			fmt.Fprintf(log, "upssched: New timer: %s (%d seconds)\n", w[1], secs)
		}
		return "OK"
	case (w[0] == "CANCEL" || w[0] == "CANCEL-MATCHED") && len(w) == 3:
		if t.Cancel(w[1], w[2], w[0] == "CANCEL-MATCHED") {
			fmt.Fprintf(log, "upssched: Cancelling timer: %s\n", w[1])
			return "CANCELLED"
		}
		return "NOTFOUND"
	}
	return "ERR"
}
