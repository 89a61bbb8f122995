package snmp_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gonut/drivers/core"
	"gonut/drivers/snmp"
	"gonut/internal/snmpsim"
	"gonut/nutenv"
)

// TestCommandsDuringPolls: SETs and instant commands reach the agent
// while the driver polls it (run with -race: the walk and the commands
// share the rows and the client), and each is answered.
func TestCommandsDuringPolls(t *testing.T) {
	agent := snmpsim.Start(t, map[string]string{"apcc.snmprec": mustRead(t, "testdata/apcc.snmprec")})
	dir := t.TempDir()
	conf := fmt.Sprintf("[t]\n\tdriver = snmp-ups\n\tport = %s\n\tcommunity = apcc\n\tpollinterval = 1\n\tpollfreq = 1\n", agent.Addr())
	if err := os.WriteFile(filepath.Join(dir, "ups.conf"), []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	vars := nutenv.Env(func(k string) string {
		if k == "NUT_CONFPATH" || k == "NUT_STATEPATH" {
			return dir
		}
		return ""
	})
	done := make(chan error, 1)
	go func() {
		done <- core.Run(context.Background(), snmp.New(time.Now), core.Args{UPS: "t"}, core.Env{Vars: vars, Stdout: os.Stdout})
	}()
	t.Cleanup(func() {
		core.SendCommand(vars, "snmp-ups", "t", "exit", 0)
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			t.Error("the driver did not exit")
		}
	})
	var c net.Conn
	deadline := time.Now().Add(30 * time.Second)
	for {
		var err error
		if c, err = net.Dial("unix", vars.DriverSocket("snmp-ups", "t")); err == nil {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("the driver ended: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	defer c.Close()
	r := bufio.NewReader(c)
	sets := len(agent.Sets())
	const n = 20
	for i := 0; i < n; i++ {
		line := fmt.Sprintf("SET input.transfer.high %d TRACKING s%d\n", 130+i%3, i)
		if i%2 == 1 {
			line = fmt.Sprintf("INSTCMD test.battery.start TRACKING c%d\n", i)
		}
		c.SetDeadline(time.Now().Add(30 * time.Second))
		if _, err := c.Write([]byte(line)); err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprintf("TRACKING %c%d 0", "sc"[i%2], i)
		for {
			l, err := r.ReadString('\n')
			if err != nil {
				t.Fatalf("%q: %v", line, err)
			}
			if strings.HasPrefix(l, "TRACKING") {
				if strings.TrimSpace(l) != want {
					t.Errorf("%q: %s", strings.TrimSpace(line), l)
				}
				break
			}
		}
		time.Sleep(100 * time.Millisecond) // spread over several polls
	}
	if got := len(agent.Sets()) - sets; got != n {
		t.Errorf("the agent got %d SETs, want %d", got, n)
	}
}
