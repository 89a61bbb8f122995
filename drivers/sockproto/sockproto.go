package sockproto

import (
	"fmt"
	"strconv"
	"strings"

	"gonut/words"
)

// Driver to server messages.
const (
	SetInfo   = "SETINFO"
	DelInfo   = "DELINFO"
	AddEnum   = "ADDENUM"
	DelEnum   = "DELENUM"
	AddRange  = "ADDRANGE"
	DelRange  = "DELRANGE"
	SetAux    = "SETAUX"
	SetFlags  = "SETFLAGS"
	AddCmd    = "ADDCMD"
	DelCmd    = "DELCMD"
	DumpDone  = "DUMPDONE"
	DataOK    = "DATAOK"
	DataStale = "DATASTALE"
	Pong      = "PONG"
	Tracking  = "TRACKING"
	PID       = "PID"
)

// Server to driver commands.
const (
	DumpAll     = "DUMPALL"
	DumpValue   = "DUMPVALUE"
	DumpStatus  = "DUMPSTATUS"
	Ping        = "PING"
	Set         = "SET"
	InstCmd     = "INSTCMD"
	GetPID      = "GETPID"
	Logout      = "LOGOUT"
	NoBroadcast = "NOBROADCAST"
	Broadcast   = "BROADCAST"
)

// Message is one line of the protocol, in either direction.
type Message struct {
	Cmd  string
	Args []string
}

// Encode renders a driver message as a line, newline included, quoting the
// arguments the way NUT's drivers do.
func (m Message) Encode() string {
	var b strings.Builder
	b.WriteString(m.Cmd)
	for i, a := range m.Args {
		b.WriteByte(' ')
		if quoted(m.Cmd, i) {
			b.WriteString(words.Quote(a))
		} else {
			b.WriteString(words.Word(a))
		}
	}
	b.WriteByte('\n')
	return b.String()
}

// quoted reports whether NUT always quotes argument i of cmd: a SET's
// value. (A change's value is quoted by AppendChange.)
func quoted(cmd string, i int) bool { return cmd == Set && i == 1 }

func (m Message) String() string { return strings.TrimSuffix(m.Encode(), "\n") }

// TrackingMsg is a driver's answer to a request that carried a TRACKING id.
func TrackingMsg(id string, r Result) Message {
	return Message{Tracking, []string{id, strconv.Itoa(int(r))}}
}

// TrackingResult reads a TRACKING line: the request's id and its result.
func (m Message) TrackingResult() (id string, r Result, err error) {
	if m.Cmd != Tracking || len(m.Args) != 2 {
		return "", Unknown, fmt.Errorf("expected TRACKING <id> <result>, got %q", m.String())
	}
	n, err := strconv.Atoi(m.Args[1])
	if err != nil {
		return m.Args[0], Unknown, fmt.Errorf("TRACKING %s: the result %q is not a number", m.Args[0], m.Args[1])
	}
	return m.Args[0], Result(n), nil
}

// Parse splits one line into a message. The command word is upper-cased:
// NUT compares commands without regard to case.
func Parse(line string) (Message, error) {
	w, err := words.Split(line)
	if err != nil {
		return Message{}, err
	}
	return FromWords(w)
}

// FromWords makes a message of a line already split into words.
func FromWords(w []string) (Message, error) {
	if len(w) == 0 {
		return Message{}, fmt.Errorf("empty line")
	}
	return Message{Cmd: strings.ToUpper(w[0]), Args: w[1:]}, nil
}

// Request is a command from upsd (or upsdrvctl) to the driver, checked for
// its shape.
type Request struct {
	Cmd      string
	Name     string // variable (SET, DUMPVALUE) or command (INSTCMD)
	Value    string // SET value or INSTCMD parameter
	HasValue bool
	Tracking string // TRACKING id, "" when none
	On       bool   // BROADCAST: whether broadcasts are wanted
}

// ParseRequest checks a message from the server side against the shapes
// NUT's drivers accept.
func ParseRequest(m Message) (Request, error) {
	r := Request{Cmd: m.Cmd}
	a := m.Args
	switch m.Cmd {
	case DumpAll, DumpStatus, Ping, GetPID, Logout, NoBroadcast:
		return r, nil
	case Broadcast:
		r.On = true
		if len(a) > 0 {
			if n, err := strconv.Atoi(a[0]); err == nil && n < 1 {
				r.On = false
			}
		}
		return r, nil
	case DumpValue:
		if len(a) < 1 {
			return r, fmt.Errorf("DUMPVALUE needs a variable name")
		}
		r.Name = a[0]
		return r, nil
	case InstCmd:
		// INSTCMD <cmd> [<param>] [TRACKING <id>]
		switch {
		case len(a) == 1:
		case len(a) == 2:
			r.Value, r.HasValue = a[1], true
		case len(a) == 3 && strings.EqualFold(a[1], Tracking):
			r.Tracking = a[2]
		case len(a) == 4 && strings.EqualFold(a[2], Tracking):
			r.Value, r.HasValue, r.Tracking = a[1], true, a[3]
		default:
			return r, fmt.Errorf("malformed INSTCMD: expected INSTCMD <command> [<parameter>] [TRACKING <id>]")
		}
		r.Name = a[0]
		return r, nil
	case Set:
		// SET <var> <value> [TRACKING <id>]
		switch {
		case len(a) == 2:
		case len(a) == 4 && strings.EqualFold(a[2], Tracking):
			r.Tracking = a[3]
		default:
			return r, fmt.Errorf("malformed SET: expected SET <variable> \"<value>\" [TRACKING <id>]")
		}
		r.Name, r.Value, r.HasValue = a[0], a[1], true
		return r, nil
	}
	return r, fmt.Errorf("unknown command %q", m.Cmd)
}

// Encode renders a request as the line a server sends.
func (r Request) Encode() string {
	m := Message{Cmd: r.Cmd}
	switch r.Cmd {
	case DumpValue:
		m.Args = []string{r.Name}
	case Broadcast:
		if !r.On {
			m.Args = []string{"0"}
		}
	case InstCmd:
		m.Args = []string{r.Name}
		if r.HasValue {
			m.Args = append(m.Args, r.Value)
		}
	case Set:
		m.Args = []string{r.Name, r.Value}
	}
	if r.Tracking != "" && (r.Cmd == InstCmd || r.Cmd == Set) {
		m.Args = append(m.Args, Tracking, r.Tracking)
	}
	return m.Encode()
}
