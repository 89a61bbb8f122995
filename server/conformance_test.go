package server_test

import (
	"bufio"
	"maps"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gonut/internal/nuttest"
)

// session is a script for one connection: request lines, in order. Every
// answer is compared between Debian's upsd and ours, except VER's.
type session struct {
	name  string
	lines []string
}

// The conformance script: good, bad, unauthorised and oddly quoted
// requests. Grow it whenever a difference is found.
func script() []session {
	anon := []string{
		"NETVER", "PROTVER", "HELP", "HELP me", "NETVER x",
		"GET", "GET VAR", "GET VAR a", "GET VAR a ups.status", "GET VAR nosuch ups.status",
		"GET VAR a no.such.var", "get var a ups.status", `GET VAR "a" "ups.status"`,
		"GET VAR a ups.status # a comment", "GET VAR a ups.mfr", "GET VAR b ups.mfr",
		"GET TYPE a ups.status", "GET TYPE a battery.charge", "GET TYPE a no.var", "GET TYPE nosuch x",
		"GET DESC a ups.status", "GET DESC a no.such", "GET CMDDESC a load.off", "GET CMDDESC a no.cmd",
		"GET DESC nosuch ups.status", "GET UPSDESC a", "GET UPSDESC b", "GET UPSDESC nosuch",
		"GET NUMLOGINS a", "GET NUMLOGINS nosuch", "GET TRACKING", "GET TRACKING abc", "GET FOO a b",
		"GET VAR a ups.status extra", "", "   ", "# only a comment",
		// c's driver never runs.
		"GET NUMLOGINS c", "GET DESC c ups.status", "GET CMDDESC c load.off", "GET VAR c ups.status",
		"GET TYPE c ups.status", "GET UPSDESC c", "LIST VAR c", "LIST RW c", "LIST CMD c",
		"LIST ENUM c ups.status", "LIST RANGE c ups.status", "LIST CLIENT c",
		"LIST UPS", "LIST VAR a", "LIST RW a", "LIST CMD a", "LIST ENUM a ups.status",
		"LIST RANGE a ups.status", "LIST CLIENT a", "LIST VAR nosuch", "LIST FOO a", "LIST", "LIST VAR",
		"LIST ENUM a", "LIST ENUM a no.var", "list var b",
		"FOO", "SET VAR a ups.mfr x", "INSTCMD a load.off", "LOGIN a", "FSD a",
		"PRIMARY a", "MASTER a", "SET TRACKING ON", "GET TRACKING", "GET TRACKING abc", "SET TRACKING OFF",
		"SET TRACKING MAYBE", "SET FOO", "STARTTLS",
		"USERNAME", "USERNAME x y", "USERNAME nobody", "USERNAME again", "PASSWORD", "PASSWORD wrong",
		"PASSWORD again", "SET VAR a ups.mfr x", "INSTCMD a load.off", "LOGIN a", "FSD a", "PRIMARY a",
		"LOGOUT x", "LOGOUT",
	}
	admin := []string{
		"USERNAME admin", "PASSWORD secret",
		"SET VAR a ups.mfr \"New Mfr\"", "SET VAR a ups.status OL", "SET VAR a driver.name x",
		"SET VAR a no.var 1", "SET VAR nosuch ups.mfr x", "SET VAR a ups.mfr", "SET VAR a",
		"SET VAR a ups.mfr \"this value is much longer than thirty-two characters\"",
		"INSTCMD a load.off", "INSTCMD a no.cmd", "INSTCMD nosuch load.off", "INSTCMD a",
		"INSTCMD a load.off 10", "LOGIN a", "PRIMARY a", "FSD b", "GET VAR b ups.status",
		"LIST VAR b", "LIST RW b", "GET VAR b ups.status", "SET VAR c ups.mfr x", "INSTCMD c load.off",
		"LOGOUT",
	}
	monitor := []string{
		"USERNAME monuser", "PASSWORD pass", "LOGIN nosuch", "LOGIN a", "LOGIN a", "GET NUMLOGINS a",
		"PRIMARY a", "MASTER a", "PRIMARY", "FSD a", "SET VAR a ups.mfr y", "LOGIN c", "PRIMARY c",
		"FSD c", "LOGOUT",
	}
	// An open quote runs on over the next lines, in NUT's parser and ours.
	quote := []string{"NETVER", "GET VAR a \"ups.status"}
	// Users of moreUsers: no password line, an empty password, rights
	// given as actions; and UPS names in another case.
	nopass := []string{"USERNAME nopass", `PASSWORD ""`, "LOGIN a", "PRIMARY a", "INSTCMD a load.off", "GET NUMLOGINS a", "LOGOUT"}
	emptypw := []string{"USERNAME emptypw", `PASSWORD ""`, "LOGIN a", "GET NUMLOGINS a", "LOGOUT"}
	loginonly := []string{"USERNAME loginonly", "PASSWORD l", "LOGIN A", "GET NUMLOGINS A", "LIST CLIENT A", "PRIMARY a", "LOGOUT"}
	masteronly := []string{"USERNAME masteronly", "PASSWORD m", "PRIMARY a", "MASTER A", "LOGIN a", "LOGOUT"}
	names := []string{"GET VAR A ups.status", "GET TYPE A ups.status", "LIST VAR B", "GET UPSDESC A", "STARTTLS x", "STARTTLS"}
	return []session{{"anonymous", anon}, {"admin", admin}, {"upsmon", monitor}, {"open quote", quote},
		{"no password line", nopass}, {"empty password", emptypw}, {"actions = LOGIN", loginonly},
		{"actions = MASTER", masteronly}, {"names in another case", names}}
}

// moreUsers are users with odd rights, added to the stacks' upsd.users.
const moreUsers = "[nopass]\n\tactions = SET FSD\n\tinstcmds = ALL\n\tupsmon primary\n" +
	"[emptypw]\n\tpassword = \"\"\n\tupsmon secondary\n" +
	"[loginonly]\n\tpassword = l\n\tactions = LOGIN\n" +
	"[masteronly]\n\tpassword = m\n\tactions = MASTER\n"

type conn struct {
	c net.Conn
	r *bufio.Reader
}

func dial(t *testing.T, addr string) *conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &conn{c, bufio.NewReader(c)}
}

// ask sends a line and reads its answer: one line, or a whole list.
func (c *conn) ask(line string) string {
	c.c.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := c.c.Write([]byte(line + "\n")); err != nil {
		return "write: " + err.Error()
	}
	var out []string
	for {
		l, err := c.r.ReadString('\n')
		if err != nil {
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				return strings.Join(append(out, "(no answer)"), "\n")
			}
			return strings.Join(append(out, "read: "+err.Error()), "\n")
		}
		l = strings.TrimSuffix(l, "\n")
		out = append(out, l)
		if !strings.HasPrefix(out[0], "BEGIN LIST") || strings.HasPrefix(l, "END LIST") {
			return strings.Join(out, "\n")
		}
	}
}

// stackWithA is a stack whose one UPS, a (OL, 90%), has its driver
// running; extra files go beside ups.conf. It returns our upsd, built.
func stackWithA(t *testing.T, extra map[string]string) (*nuttest.Stack, string) {
	t.Helper()
	nuttest.NeedDebianNUT(t)
	driver := nuttest.Build(t, "gonut/cmd/dummy-ups")
	upsd := nuttest.Build(t, "gonut/cmd/upsd")
	files := map[string]string{"a.dev": "ups.status: OL\nbattery.charge: 90\n"}
	maps.Copy(files, extra)
	s := nuttest.NewStack(t, "[a]\n\tdriver = dummy-ups\n\tport = a.dev\n", files)
	s.Start(driver, "-a", "a", "-u", "root", "-F")
	s.WaitSocket("dummy-ups", "a")
	return s, upsd
}

// waitReady waits until a upsd serves the UPS's data.
func waitReady(t *testing.T, addr, ups string) {
	t.Helper()
	nuttest.Eventually(t, "upsd at "+addr+" serves "+ups, func() (bool, string) {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			return false, err.Error()
		}
		defer c.Close()
		cc := &conn{c, bufio.NewReader(c)}
		a := cc.ask("GET VAR " + ups + " battery.charge")
		return strings.HasPrefix(a, "VAR "), a
	})
}

// Our upsd answers the conformance script exactly as Debian's does, both
// serving the same drivers.
func TestConformanceWithDebianUpsd(t *testing.T) {
	nuttest.NeedDebianNUT(t)
	driver := nuttest.Build(t, "gonut/cmd/dummy-ups")
	upsd := nuttest.Build(t, "gonut/cmd/upsd")
	conf := "[a]\n\tdriver = dummy-ups\n\tport = a.dev\n\tdesc = \"Rack \\\"A\\\" UPS\"\n" +
		"[b]\n\tdriver = dummy-ups\n\tport = b.dev\n[c]\n\tdriver = dummy-ups\n\tport = c.dev\n\tdesc = \"No driver\"\n"
	s := nuttest.NewStack(t, conf, map[string]string{
		"a.dev": "ups.status: OL CHRG\nbattery.charge: 97\nups.mfr: \"Acme # Power\"\n",
		"b.dev": "ups.status: OB\nbattery.charge: 40\n",
	})
	s.Start(driver, "-a", "a", "-u", "root", "-F")
	s.Start(driver, "-a", "b", "-u", "root", "-F")
	s.WaitSocket("dummy-ups", "a")
	s.WaitSocket("dummy-ups", "b")
	s.StartUpsd()
	// Our upsd: the same ups.conf and users, its own port, the same
	// driver sockets.
	ours := nuttest.NewStack(t, conf, nil)
	ours.Env = append(ours.Env, "NUT_STATEPATH="+s.Dir)
	for _, st := range []*nuttest.Stack{s, ours} {
		b, _ := os.ReadFile(filepath.Join(st.Dir, "upsd.users"))
		st.WriteFile("upsd.users", string(b)+moreUsers)
	}
	ours.Start(upsd, "-u", "root", "-F")
	debAddr, ourAddr := s.HostPort(), ours.HostPort()
	waitReady(t, debAddr, "b")
	waitReady(t, ourAddr, "b")
	waitReady(t, debAddr, "a")
	waitReady(t, ourAddr, "a")

	for _, sess := range script() {
		deb, us := dial(t, debAddr), dial(t, ourAddr)
		for _, line := range sess.lines {
			a, b := deb.ask(line), us.ask(line)
			if a != b {
				t.Errorf("%s: %q\n  Debian: %q\n  ours:   %q", sess.name, line, a, b)
			}
		}
	}
}

func newReader(c net.Conn) *bufio.Reader { return bufio.NewReader(c) }
