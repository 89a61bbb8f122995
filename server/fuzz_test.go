package server

import (
	"bufio"
	"io"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"gonut/config"
	"gonut/drivers/sockproto"
	"gonut/nutenv"
	"gonut/words"
)

// testServer is a server with one UPS whose tree is filled in directly,
// as if its driver had sent a dump.
func testServer(t testing.TB) *Server {
	upsConf, _ := config.ParseUPSConf("ups.conf", strings.NewReader("[u]\ndriver = dummy-ups\nport = x\ndesc = \"Test\"\n"))
	conf, _ := config.ParseUpsdConf("upsd.conf", strings.NewReader(""))
	users, _ := config.ParseUsers("upsd.users", strings.NewReader("[admin]\npassword = pw\nactions = SET FSD\ninstcmds = ALL\nupsmon primary\n"))
	s := New(upsConf, conf, users, nutenv.Env(func(string) string { return "" }), slog.New(slog.NewTextHandler(io.Discard, nil)))
	u := s.find("u")
	u.tree.Set("ups.status", "OL")
	u.tree.SetFlags("ups.status", 3)
	u.tree.SetAux("ups.status", 32)
	u.tree.Set("input.transfer.low", "95")
	u.tree.SetFlags("input.transfer.low", 1)
	u.tree.AddEnum("input.transfer.low", "95")
	u.tree.AddRange("input.transfer.low", 90, 100)
	u.tree.AddCmd("load.off")
	u.tree.DataOK()
	u.dumped, u.lastHeard = true, time.Now()
	// The driver's end of the link takes whatever upsd forwards.
	mine, drivers := net.Pipe()
	go io.Copy(io.Discard, drivers)
	out, done := make(chan sockproto.Request, sendQueue), make(chan struct{})
	c := sockproto.NewClient(mine)
	go u.write(c, out, done)
	t.Cleanup(func() { close(done); mine.Close(); drivers.Close() })
	u.conn, u.out = c, out
	return s
}

// feed applies what a driver sends, as upsd's reader of its socket does.
func feed(u *ups, r io.Reader) {
	sockproto.ReadMessages(bufio.NewReader(r), u.badLine, u.take)
}

// Whatever a client sends, upsd answers without crashing, and every
// answer is a whole line.
func FuzzCommand(f *testing.F) {
	for _, s := range []string{
		"GET VAR u ups.status", "LIST ENUM u input.transfer.low", "LIST RANGE u input.transfer.low",
		"USERNAME admin\nPASSWORD pw\nSET VAR u input.transfer.low 95", "SET TRACKING ON\nGET TRACKING x",
		"\"unterminated", "GET VAR u \\", "FSD u", "LIST CLIENT u", "\x00\xff", "HELP\nLOGOUT\nVER",
	} {
		f.Add(s)
	}
	s := testServer(f)
	f.Fuzz(func(t *testing.T, input string) {
		c := &client{addr: "fuzz"}
		in := words.NewStream(bufio.NewReader(strings.NewReader(input)))
		for {
			w, bad, err := in.Next()
			if err != nil {
				break
			}
			if bad == nil && s.command(c, w) {
				break
			}
		}
		if o := c.out.String(); o != "" && !strings.HasSuffix(o, "\n") {
			t.Fatalf("answer not ended by a newline: %q", o)
		}
	})
}

func TestTypeAndLists(t *testing.T) {
	s := testServer(t)
	c := &client{addr: "t"}
	for _, l := range []string{"GET TYPE u ups.status", "GET TYPE u input.transfer.low", "LIST ENUM u input.transfer.low", "LIST RANGE u input.transfer.low"} {
		w, _ := words.Split(l)
		s.command(c, w)
	}
	out := &c.out
	want := "TYPE u ups.status RW STRING:32\nTYPE u input.transfer.low RW ENUM RANGE NUMBER\n" +
		"BEGIN LIST ENUM u input.transfer.low\nENUM u input.transfer.low \"95\"\nEND LIST ENUM u input.transfer.low\n" +
		"BEGIN LIST RANGE u input.transfer.low\nRANGE u input.transfer.low \"90\" \"100\"\nEND LIST RANGE u input.transfer.low\n"
	if out.String() != want {
		t.Fatalf("got:\n%s\nwant:\n%s", out.String(), want)
	}
}

// Tracking results are forgotten TRACKINGDELAY after they were recorded.
func TestTrackingExpires(t *testing.T) {
	s := testServer(t)
	u := s.find("u")
	t0 := time.Now()
	u.tracking["old"] = trackResult{result: sockproto.Handled, at: t0.Add(-2 * time.Hour)}
	u.tracking["new"] = trackResult{result: sockproto.Handled, at: t0.Add(-time.Minute)}
	u.pruneTracking(t0, time.Hour)
	if _, ok := u.tracking["old"]; ok {
		t.Error("a result older than TRACKINGDELAY was kept")
	}
	if _, ok := u.tracking["new"]; !ok {
		t.Error("a recent result was dropped")
	}
	// At most one sweep a second.
	u.tracking["old"] = trackResult{result: sockproto.Handled, at: t0.Add(-2 * time.Hour)}
	u.pruneTracking(t0.Add(500*time.Millisecond), time.Hour)
	if _, ok := u.tracking["old"]; !ok {
		t.Error("swept twice within a second")
	}
}

// Whatever a driver sends on its socket, upsd keeps serving, and what it
// then tells clients about that UPS is well-formed: every answer line
// splits into words, and LIST VAR gives back each value as the driver set
// it.
func FuzzDriverStream(f *testing.F) {
	for _, s := range []string{
		"SETINFO ups.status \"OL\"\nADDCMD load.off\nDUMPDONE\n",
		"SETINFO a \"x y\"\nSETFLAGS a RW STRING\nSETAUX a 10\nADDENUM a \"x y\"\nADDRANGE a 1 2\n",
		"SETINFO \"a b\" c\nADDCMD \"x\\\"y\"\nDELINFO a\nDELENUM a b\nDELRANGE a x y\n",
		"SETINFO a \"line\nbreak\"\n", "DATASTALE\nDATAOK\nTRACKING x 0\nPONG\n", "\x00\xff\"\\",
	} {
		f.Add(s)
	}
	s := testServer(f)
	u := s.find("u")
	f.Fuzz(func(t *testing.T, input string) {
		u.tree = newTree()
		feed(u, strings.NewReader(input))
		u.tree.DataOK() // a stale UPS answers nothing worth checking
		c := &client{addr: "fuzz"}
		ask := func(line string) []string {
			c.out.Reset()
			w, err := words.Split(line)
			if err != nil {
				t.Fatalf("request %q: %v", line, err)
			}
			s.command(c, w)
			o := c.out.String()
			if !strings.HasSuffix(o, "\n") {
				t.Fatalf("%s: answer not ended by a newline: %q", line, o)
			}
			lines := strings.Split(strings.TrimSuffix(o, "\n"), "\n")
			for _, l := range lines {
				if _, err := words.Split(l); err != nil {
					t.Fatalf("%s: answer line %q does not split: %v", line, l, err)
				}
			}
			return lines
		}
		ask("LIST CMD u")
		for _, v := range u.tree.Vars() {
			want := "VAR u " + v.Name + " " + words.Quote(v.Value)
			if got := ask("GET VAR u " + words.Word(v.Name)); len(got) != 1 || got[0] != want {
				t.Fatalf("GET VAR u %s: %q, want %q", v.Name, got, want)
			}
			w, _ := words.Split(want)
			if len(w) != 4 || w[2] != v.Name || w[3] != v.Value {
				t.Fatalf("variable %q = %q is told as %q, which reads back as %q", v.Name, v.Value, want, w)
			}
			ask("GET TYPE u " + words.Word(v.Name))
			ask("LIST ENUM u " + words.Word(v.Name))
			ask("LIST RANGE u " + words.Word(v.Name))
		}
	})
}

// trackedInstCmd has an admin client ask for load.off with tracking on;
// it returns how that client asks, and the request's tracking id.
func trackedInstCmd(t *testing.T, s *Server) (ask func(string) string, id string) {
	t.Helper()
	c := &client{addr: "t"}
	ask = func(line string) string {
		c.out.Reset()
		w, _ := words.Split(line)
		s.command(c, w)
		return strings.TrimSuffix(c.out.String(), "\n")
	}
	for _, l := range []string{"USERNAME admin", "PASSWORD pw", "SET TRACKING ON"} {
		ask(l)
	}
	id, ok := strings.CutPrefix(ask("INSTCMD u load.off"), "OK TRACKING ")
	if !ok {
		t.Fatal("no tracking id")
	}
	return ask, id
}

// Tracking ids are compared without regard to case, by GET TRACKING and
// when the driver answers, as in NUT's upsd.
func TestTrackingIDsIgnoreCase(t *testing.T) {
	s := testServer(t)
	ask, id := trackedInstCmd(t, s)
	if got := ask("GET TRACKING " + strings.ToLower(id)); got != "PENDING" {
		t.Fatalf("GET TRACKING in lower case: %q", got)
	}
	s.find("u").take(sockproto.Message{Cmd: sockproto.Tracking, Args: []string{strings.ToLower(id), "0"}})
	if got := ask("GET TRACKING " + id); got != "SUCCESS" {
		t.Fatalf("after the driver answered in lower case: %q", got)
	}
}

// LIST CLIENT lists the newest connection first, as NUT's upsd does.
func TestListClientNewestFirst(t *testing.T) {
	s := testServer(t)
	u := s.find("u")
	for i := 1; i <= 5; i++ {
		cl := s.register(&net.TCPAddr{IP: net.IPv4(127, 0, 0, byte(i)), Port: 1000})
		cl.login = u
	}
	c := &client{addr: "t"}
	s.command(c, []string{"LIST", "CLIENT", "U"})
	want := "BEGIN LIST CLIENT U\nCLIENT u 127.0.0.5\nCLIENT u 127.0.0.4\nCLIENT u 127.0.0.3\nCLIENT u 127.0.0.2\nCLIENT u 127.0.0.1\nEND LIST CLIENT U\n"
	if got := c.out.String(); got != want {
		t.Fatalf("got:\n%s\nwant:\n%s", got, want)
	}
}

// A driver's TRACKING answer whose result is not a number is a bad line:
// the request stays PENDING (NUT's upsd reads it with atoi, as SUCCESS).
func TestTrackingResultNotANumber(t *testing.T) {
	s := testServer(t)
	ask, id := trackedInstCmd(t, s)
	feed(s.find("u"), strings.NewReader("TRACKING "+id+" done\n"))
	if got := ask("GET TRACKING " + id); got != "PENDING" {
		t.Fatalf("after a result that is not a number: %q", got)
	}
	feed(s.find("u"), strings.NewReader("TRACKING "+id+" 3\n"))
	if got := ask("GET TRACKING " + id); got != "ERR FAILED" {
		t.Fatalf("after the driver's answer: %q", got)
	}
}
