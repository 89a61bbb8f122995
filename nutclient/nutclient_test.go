package nutclient

import (
	"context"
	"io"
	"net"
	"os/exec"
	"strings"
	"testing"
	"time"

	"gonut/internal/nuttest"
)

// A client of Debian's upsd serving Debian's dummy-ups.
func TestAgainstDebianUpsd(t *testing.T) {
	nuttest.NeedDebianNUT(t)
	s := nuttest.NewStack(t, "[dev]\n\tdriver = dummy-ups\n\tport = dev.dev\n\tdesc = \"Rack 4 UPS\"\n",
		map[string]string{"dev.dev": "ups.status: OL\nbattery.charge: 90\nups.mfr: \"Acme Power\"\n"})
	s.Start(nuttest.DebianDummy, "-a", "dev", "-u", "root", "-F")
	s.WaitSocket("dummy-ups", "dev")
	s.StartUpsd()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	var c *Client
	nuttest.Eventually(t, "upsd answers", func() (bool, string) {
		var err error
		c, err = Dial(ctx, s.HostPort(), Options{})
		if err != nil {
			return false, err.Error()
		}
		if _, err = c.GetVar(ctx, "dev", "battery.charge"); err != nil {
			c.Close()
			return false, err.Error()
		}
		return true, ""
	})
	defer c.Close()

	vars, err := c.ListVar(ctx, "dev")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, v := range vars {
		got[v.Name] = v.Value
	}
	if got["battery.charge"] != "90" || got["ups.mfr"] != "Acme Power" || got["driver.name"] != "dummy-ups" {
		t.Fatalf("LIST VAR: %v", got)
	}
	if v, err := c.GetVar(ctx, "dev", "ups.mfr"); err != nil || v != "Acme Power" {
		t.Fatalf("GET VAR: %q %v", v, err)
	}
	rows, err := c.List(ctx, "UPS")
	if err != nil || len(rows) != 1 || rows[0][0] != "dev" || rows[0][1] != "Rack 4 UPS" {
		t.Fatalf("LIST UPS: %q %v", rows, err)
	}

	// upsd's errors come back typed.
	if _, err := c.GetVar(ctx, "nosuch", "ups.status"); !IsCode(err, "UNKNOWN-UPS") {
		t.Fatalf("unknown UPS: %v", err)
	}
	if _, err := c.GetVar(ctx, "dev", "no.such.var"); !IsCode(err, "VAR-NOT-SUPPORTED") {
		t.Fatalf("unknown variable: %v", err)
	}
	if _, err := c.SetVar(ctx, "dev", "ups.mfr", "x"); !IsCode(err, "USERNAME-REQUIRED") {
		t.Fatalf("SET without login: %v", err)
	}
	if _, err := c.List(ctx, "VAR", "nosuch"); !IsCode(err, "UNKNOWN-UPS") {
		t.Fatalf("LIST VAR of an unknown UPS: %v", err)
	}

	// A logged-in user sets a value with spaces and quotes, with tracking.
	a, err := Dial(ctx, s.HostPort(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if err := a.Login(ctx, "admin", "wrong"); err == nil {
		// upsd only checks the password at the first privileged command.
		if _, err := a.SetVar(ctx, "dev", "ups.mfr", "x"); !IsCode(err, "ACCESS-DENIED") {
			t.Fatalf("wrong password: %v", err)
		}
	}
	a.Close()
	a, err = Dial(ctx, s.HostPort(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Login(ctx, "admin", "secret"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Do(ctx, "SET TRACKING ON"); err != nil {
		t.Fatal(err)
	}
	// (Debian's upsd passes quotes and # to the driver unescaped, so the
	// value read back keeps to spaces.)
	id, err := a.SetVar(ctx, "dev", "ups.mfr", "New Mfr 1")
	if err != nil || id == "" {
		t.Fatalf("SET VAR with tracking: %q %v", id, err)
	}
	nuttest.Eventually(t, "tracking result", func() (bool, string) {
		w, err := a.Do(ctx, "GET TRACKING "+id)
		return err == nil && len(w) == 1 && w[0] == "SUCCESS", strings.Join(w, " ") + nuttest.ErrString(err)
	})
	if v, err := c.GetVar(ctx, "dev", "ups.mfr"); err != nil || v != "New Mfr 1" {
		out, _ := exec.Command("sh", "-c", "cat "+s.Dir+"/*.log").CombinedOutput()
		t.Fatalf("value after SET: %q %v\n%s", v, err, out)
	}
	if err := a.Logout(ctx); err != nil {
		t.Fatalf("LOGOUT: %v", err)
	}
}

// Whatever a server answers, the client returns an answer or an error,
// and never more rows than the server sent lines.
func FuzzAnswers(f *testing.F) {
	for _, s := range []string{
		"VAR u ups.status \"OL\"\nBEGIN LIST VAR u\nVAR u a \"1\"\nEND LIST VAR u\n",
		"BEGIN LIST CMD u\nCMD u load.off\nEND LIST CMD u\nOK TRACKING x\nPENDING\nOK\n",
		"ERR ACCESS-DENIED\nERR\n\"\n\n", "BEGIN LIST\nEND\nVAR\nOK GOODBYE\n", "\x00\xff\\",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, input string) {
		mine, server := net.Pipe()
		go io.Copy(io.Discard, server)
		go func() { server.Write([]byte(input)); server.Close() }()
		c := newClient(mine, Options{Timeout: 5 * time.Second})
		defer c.Close()
		ctx := context.Background()
		lines := strings.Count(input, "\n") + 1
		c.GetVar(ctx, "u", "ups.status")
		if vars, err := c.ListVar(ctx, "u"); err == nil && len(vars) > lines {
			t.Fatalf("%d variables from %d lines", len(vars), lines)
		}
		if rows, err := c.List(ctx, "CMD", "u"); err == nil && len(rows) > lines {
			t.Fatalf("%d rows from %d lines", len(rows), lines)
		}
		if id, err := c.InstCmd(ctx, "u", "load.off"); err == nil && id != "" {
			c.WaitTracking(ctx, id, time.Second, func(time.Duration) {})
		}
		c.SetVar(ctx, "u", "a", "b c")
		c.Raw(ctx, "VER")
		c.Logout(ctx)
	})
}

// A server whose list never ends costs a bounded amount of memory: the
// client gives up after maxList bytes.
func TestEndlessListIsCut(t *testing.T) {
	mine, server := net.Pipe()
	defer server.Close()
	go func() {
		io.Copy(io.Discard, io.LimitReader(server, int64(len("LIST VAR u\n"))))
		server.Write([]byte("BEGIN LIST VAR u\n"))
		row := []byte("VAR u some.variable \"" + strings.Repeat("x", 1000) + "\"\n")
		for {
			if _, err := server.Write(row); err != nil {
				return
			}
		}
	}()
	c := newClient(mine, Options{})
	defer c.Close()
	_, err := c.ListVar(context.Background(), "u")
	if err == nil || !strings.Contains(err.Error(), "answer longer than") {
		t.Fatalf("endless list: %v", err)
	}
}

// An answer about another variable or UPS, or a line cut short (the
// server leaves, or the deadline passes, before its newline), is an
// error, never a value: upsmon would act on it.
func TestGetVarTakesOnlyItsAnswer(t *testing.T) {
	for _, tc := range []struct {
		name, answer string
		hang         bool
	}{
		{"another variable", "VAR u battery.charge \"OB LB\"\n", false},
		{"another UPS", "VAR v ups.status \"OB LB\"\n", false},
		{"cut short", "VAR u ups.status \"OB LB\"", false},
		{"cut short by the deadline", "VAR u ups.status \"OB LB\"", true},
	} {
		mine, server := net.Pipe()
		go func() {
			io.ReadFull(server, make([]byte, len("GET VAR u ups.status\n")))
			server.Write([]byte(tc.answer))
			if !tc.hang {
				server.Close()
			}
		}()
		c := newClient(mine, Options{Timeout: 200 * time.Millisecond})
		if v, err := c.GetVar(context.Background(), "u", "ups.status"); err == nil {
			t.Errorf("%s: read as %q", tc.name, v)
		}
		c.Close()
		server.Close()
	}
	// Names compare without regard to case, as NUT's client compares them.
	mine, server := net.Pipe()
	defer server.Close()
	go func() {
		io.ReadFull(server, make([]byte, len("GET VAR U UPS.STATUS\n")))
		server.Write([]byte("VAR u ups.status \"OL\"\r\n"))
	}()
	c := newClient(mine, Options{})
	defer c.Close()
	if v, err := c.GetVar(context.Background(), "U", "UPS.STATUS"); v != "OL" || err != nil {
		t.Errorf("GET VAR U UPS.STATUS: %q %v", v, err)
	}
}

// A list's rows must repeat the request's words, as NUT's client checks:
// a row about another UPS is an error, never one of this UPS's variables.
func TestListRowsRepeatTheRequest(t *testing.T) {
	for _, tc := range []struct {
		answer string
		ok     bool
	}{
		{"BEGIN LIST VAR u\nVAR u ups.status \"OL\"\nEND LIST VAR u\n", true},
		{"BEGIN LIST VAR u\nvar U ups.status \"OL\"\nEND LIST VAR u\n", true},
		{"BEGIN LIST VAR u\nVAR v ups.status \"OB LB\"\nEND LIST VAR u\n", false},
		{"BEGIN LIST VAR u\nVAR\nEND LIST VAR u\n", false},
		{"BEGIN LIST VAR u\nCMD u ups.status\nEND LIST VAR u\n", false},
	} {
		mine, server := net.Pipe()
		go func() {
			io.ReadFull(server, make([]byte, len("LIST VAR u\n")))
			server.Write([]byte(tc.answer))
		}()
		c := newClient(mine, Options{})
		rows, err := c.List(context.Background(), "VAR", "u")
		if (err == nil) != tc.ok {
			t.Errorf("%q: rows %q, error %v", tc.answer, rows, err)
		}
		c.Close()
		server.Close()
	}
}

// A server that hangs up, before its answer or in the middle of a line or
// a list, is "Server disconnected", upsclient's words for it.
func TestHangUpMessage(t *testing.T) {
	for _, answer := range []string{"", "VAR u ups.st", "BEGIN LIST VAR u\nVAR u ups.status \"OL\"\n"} {
		mine, server := net.Pipe()
		go func() {
			io.ReadFull(server, make([]byte, len("LIST VAR u\n")))
			server.Write([]byte(answer))
			server.Close()
		}()
		c := newClient(mine, Options{})
		_, err := c.List(context.Background(), "VAR", "u")
		if m := Message(err); m != "Server disconnected" {
			t.Errorf("hang-up after %q: %v, message %q", answer, err, m)
		}
		c.Close()
	}
}
