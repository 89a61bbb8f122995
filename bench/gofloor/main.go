// Command gofloor is the Go runtime's floor, built with the same
// toolchain as gonut's programs.
//
// Without arguments it is a hello-world that prints one line and then
// sleeps: its memory is the floor under any Go program (driverbench
// starts copies of it beside the drivers).
//
// Run as upsd is run (quietbench starts it in its place: NUT_CONFPATH
// holds an upsd.conf whose LISTEN line it listens on, its flags are
// ignored), it is the least a Go network server can be: a goroutine per
// connection on Go's net package, answering every line with the same
// VAR line, and a ticker every 5 s standing for upsd's ping of its
// driver. What a quiet upsd of ours costs beyond this, ours adds; what
// this costs beyond Debian's upsd, Go's runtime does.
package main

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"
)

func main() {
	conf := os.Getenv("NUT_CONFPATH")
	if len(os.Args) == 1 || conf == "" {
		fmt.Println("hello")
		for {
			time.Sleep(time.Hour)
		}
	}
	if err := serve(filepath.Join(conf, "upsd.conf")); err != nil {
		fmt.Fprintln(os.Stderr, "gofloor:", err)
		os.Exit(1)
	}
}

func serve(confFile string) error {
	b, err := os.ReadFile(confFile)
	if err != nil {
		return err
	}
	addr := ""
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) == 3 && f[0] == "LISTEN" {
			addr = net.JoinHostPort(f[1], f[2])
		}
	}
	if addr == "" {
		return fmt.Errorf("%s: no LISTEN line", confFile)
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	go func() {
		for range time.Tick(5 * time.Second) {
		}
	}()
	for {
		c, err := l.Accept()
		if err != nil {
			return err
		}
		go answer(c)
	}
}

// answer answers every line "GET VAR UPS NAME" with VAR UPS NAME "100".
func answer(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		f := strings.Fields(line)
		if len(f) != 4 {
			f = []string{"", "", "?", "?"}
		}
		if _, err := fmt.Fprintf(c, "VAR %s %s \"100\"\n", f[2], f[3]); err != nil {
			return
		}
	}
}
