package sockproto

import (
	"reflect"
	"testing"
)

func TestEncode(t *testing.T) {
	cases := []struct {
		m    Message
		want string
	}{
		{Message{Cmd: Set, Args: []string{"ups.id", "Data room"}}, "SET ups.id \"Data room\"\n"},
		{TrackingMsg("abc", Handled), "TRACKING abc 0\n"},
		{Message{Cmd: DumpDone}, "DUMPDONE\n"},
	}
	for _, c := range cases {
		if got := c.m.Encode(); got != c.want {
			t.Errorf("Encode(%v) = %q, want %q", c.m, got, c.want)
		}
		back, err := Parse(c.want)
		if err != nil || !reflect.DeepEqual(back.Args, c.m.Args) && len(c.m.Args) > 0 {
			t.Errorf("Parse(%q) = %v, %v", c.want, back, err)
		}
	}
	for _, c := range []struct {
		line string
		id   string
		r    Result
		bad  bool
	}{
		{line: "TRACKING abc 3", id: "abc", r: Failed},
		{line: "TRACKING abc x", bad: true},
		{line: "TRACKING abc", bad: true},
	} {
		m, _ := Parse(c.line)
		id, r, err := m.TrackingResult()
		if (err != nil) != c.bad || !c.bad && (id != c.id || r != c.r) {
			t.Errorf("%q: %q %v %v", c.line, id, r, err)
		}
	}
}

func TestParseRequest(t *testing.T) {
	cases := []struct {
		line string
		want Request
		bad  bool
	}{
		{line: "DUMPALL", want: Request{Cmd: DumpAll}},
		{line: "dumpall", want: Request{Cmd: DumpAll}},
		{line: "PING", want: Request{Cmd: Ping}},
		{line: "BROADCAST", want: Request{Cmd: Broadcast, On: true}},
		{line: "BROADCAST 0", want: Request{Cmd: Broadcast}},
		{line: "BROADCAST -1", want: Request{Cmd: Broadcast}},
		{line: "BROADCAST 1", want: Request{Cmd: Broadcast, On: true}},
		{line: "DUMPVALUE ups.status", want: Request{Cmd: DumpValue, Name: "ups.status"}},
		{line: "DUMPVALUE", bad: true},
		{line: "INSTCMD load.off", want: Request{Cmd: InstCmd, Name: "load.off"}},
		{line: "INSTCMD load.off 10", want: Request{Cmd: InstCmd, Name: "load.off", Value: "10", HasValue: true}},
		{line: "INSTCMD load.on TRACKING 1bd3", want: Request{Cmd: InstCmd, Name: "load.on", Tracking: "1bd3"}},
		{line: "INSTCMD load.on 10 TRACKING 1bd3", want: Request{Cmd: InstCmd, Name: "load.on", Value: "10", HasValue: true, Tracking: "1bd3"}},
		{line: "INSTCMD a b c d e", bad: true},
		{line: "INSTCMD", bad: true},
		{line: `SET ups.id "Data room"`, want: Request{Cmd: Set, Name: "ups.id", Value: "Data room", HasValue: true}},
		{line: `SET ups.id "Data room" TRACKING 2ded`, want: Request{Cmd: Set, Name: "ups.id", Value: "Data room", HasValue: true, Tracking: "2ded"}},
		{line: `SET ups.id "Data room" FOO 2ded`, bad: true},
		{line: `SET ups.id`, bad: true},
		{line: "FOO bar", bad: true},
	}
	for _, c := range cases {
		m, err := Parse(c.line)
		if err != nil {
			t.Fatalf("Parse(%q): %v", c.line, err)
		}
		got, err := ParseRequest(m)
		if c.bad {
			if err == nil {
				t.Errorf("ParseRequest(%q) = %+v, want an error", c.line, got)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("ParseRequest(%q) = %+v, %v; want %+v", c.line, got, err, c.want)
			continue
		}
		// What a request encodes to reads back as the same request.
		again, err := Parse(got.Encode())
		if err != nil {
			t.Fatalf("re-parse of %q: %v", got.Encode(), err)
		}
		if back, err := ParseRequest(again); err != nil || back != got {
			t.Errorf("%q encodes as %q, which reads back as %+v (%v)", c.line, got.Encode(), back, err)
		}
	}
}

func FuzzParseRequest(f *testing.F) {
	for _, s := range []string{"DUMPALL", `SET a "b c" TRACKING x`, "INSTCMD x 1 TRACKING y", "BROADCAST 0", "\"", "#", "SET \\"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		m, err := Parse(line)
		if err != nil {
			return
		}
		r, err := ParseRequest(m)
		if err != nil {
			return
		}
		again, err := Parse(r.Encode())
		if err != nil {
			t.Fatalf("%+v encodes as %q which does not parse: %v", r, r.Encode(), err)
		}
		back, err := ParseRequest(again)
		if err != nil || back != r {
			t.Fatalf("%+v encodes as %q which reads back as %+v (%v)", r, r.Encode(), back, err)
		}
	})
}
