// Package snmpsim runs Debian's snmpsim (snmpsimd) as a test agent on a
// loopback port: it serves .snmprec files (one per community: the file
// NAME.snmprec answers community NAME), takes SETs of the objects
// recorded with the writecache variation, and logs every request, from
// which Sets reads the SET requests it got, with their types.
package snmpsim

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gosnmp/gosnmp"

	"gonut/internal/freeport"
)

// Daemon is Debian's snmpsim agent.
const Daemon = "/usr/bin/snmpsimd"

// Need skips the test when snmpsim is not installed.
func Need(t testing.TB) {
	t.Helper()
	if _, err := os.Stat(Daemon); err != nil {
		t.Skip("snmpsim is not installed: apt-get install snmpsim, or run make check")
	}
}

// Agent is a running snmpsimd.
type Agent struct {
	Host string
	Port int
	Dir  string // its data directory
	log  string
	cmd  *exec.Cmd
}

// Start runs snmpsimd on a free loopback port with the .snmprec files
// given (file name: contents), and returns once it answers. snmpsimd
// drops root for nobody: its directories are world-readable, its cache
// world-writable.
func Start(t testing.TB, files map[string]string) *Agent {
	t.Helper()
	p, err := freeport.GetUDP()
	if err != nil {
		t.Fatal(err)
	}
	return StartAt(t, []string{fmt.Sprintf("127.0.0.1:%d", p)}, files)
}

// StartAt is Start on the endpoints given (loopback addresses and
// ports: 127.77.0.1:161, say), all serving the same files; Port and
// Addr are the first's.
func StartAt(t testing.TB, endpoints []string, files map[string]string) *Agent {
	t.Helper()
	Need(t)
	dir, err := os.MkdirTemp("", "snmpsim-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	data, cache := filepath.Join(dir, "data"), filepath.Join(dir, "cache")
	for _, d := range []string{dir, data, cache} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(d, 0o777); err != nil {
			t.Fatal(err)
		}
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(data, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	host, port, _ := strings.Cut(endpoints[0], ":")
	p, _ := strconv.Atoi(port)
	a := &Agent{Host: host, Port: p, Dir: data, log: filepath.Join(cache, "snmpsimd.log")}
	out, err := os.Create(filepath.Join(dir, "stderr.log"))
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"--data-dir=" + data, "--cache-dir=" + cache}
	for _, e := range endpoints {
		args = append(args, "--agent-udpv4-endpoint="+e)
	}
	a.cmd = exec.Command(Daemon, append(args, "--process-user=nobody", "--process-group=nogroup",
		"--logging-method=file:"+a.log, "--debug=app")...)
	a.cmd.Stdout, a.cmd.Stderr = out, out
	if err := a.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		a.cmd.Process.Kill()
		a.cmd.Wait()
		out.Close()
	})
	a.wait(t, firstCommunity(files))
	return a
}

func firstCommunity(files map[string]string) string {
	for name := range files {
		if c, ok := strings.CutSuffix(name, ".snmprec"); ok {
			return c
		}
	}
	return "public"
}

// wait polls the agent until it answers (snmpsimd indexes its files
// first).
func (a *Agent) wait(t testing.TB, community string) {
	t.Helper()
	g := &gosnmp.GoSNMP{Target: a.Host, Port: uint16(a.Port), Community: community, Version: gosnmp.Version2c,
		Timeout: 500 * time.Millisecond, Retries: 0, MaxOids: gosnmp.MaxOids}
	if err := g.Connect(); err != nil {
		t.Fatal(err)
	}
	defer g.Conn.Close()
	deadline := time.Now().Add(60 * time.Second)
	for {
		if _, err := g.GetNext([]string{".1.3.6.1"}); err == nil {
			return
		}
		if time.Now().After(deadline) {
			b, _ := os.ReadFile(filepath.Join(filepath.Dir(a.Dir), "stderr.log"))
			t.Fatalf("snmpsimd on 127.0.0.1:%d never answered:\n%s", a.Port, b)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Addr is the agent's address, as a port option: 127.0.0.1:PORT.
func (a *Agent) Addr() string { return fmt.Sprintf("%s:%d", a.Host, a.Port) }

// Set is one SET request the agent got: its OID and value as snmpsimd
// logs them, and the ASN.1 type (pysnmp's name: Integer32, OctetString,
// TimeTicks...).
type Set struct {
	OID, Type, Value string
}

func (s Set) String() string { return fmt.Sprintf("%s = %s: %s", s.OID, s.Type, s.Value) }

var (
	processPdu = regexp.MustCompile(`processPdu: .*payload \[([0-9.]+)\]>, <(\w+) value object.*payload \[(.*)\]>\)\]$`)
	setRequest = regexp.MustCompile(`Request var-binds: ([0-9.]+)=<.*>, flags: EXACT, SET$`)
)

// Sets returns the SET requests logged so far, in order.
func (a *Agent) Sets() []Set {
	f, err := os.Open(a.log)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []Set
	var last *Set
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if m := processPdu.FindStringSubmatch(line); m != nil {
			last = &Set{OID: m[1], Type: m[2], Value: m[3]}
			continue
		}
		if m := setRequest.FindStringSubmatch(line); m != nil && last != nil && last.OID == m[1] {
			out = append(out, *last)
			last = nil
		}
	}
	return out
}

// Requests is how many requests (GET, GETNEXT, SET) the agent has
// logged so far.
func (a *Agent) Requests() int {
	b, err := os.ReadFile(a.log)
	if err != nil {
		return 0
	}
	return strings.Count(string(b), "Request var-binds: ")
}
