// Package sockproto holds the text protocol between a NUT driver and upsd
// (NUT's docs/sock-protocol.txt): the lines a driver sends (SETINFO,
// DELINFO, ADDENUM, ..., DUMPDONE, DATAOK, DATASTALE, PONG, TRACKING, PID)
// and the commands upsd sends (DUMPALL, PING, SET, INSTCMD, ...).
//
// Lines are split with gonut/words, exactly as NUT's parseconf does on both
// sides of the socket; values that may hold spaces travel in quotes.
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

// quoted reports whether NUT always quotes argument i of cmd.
func quoted(cmd string, i int) bool {
	switch cmd {
	case SetInfo, AddEnum, DelEnum:
		return i == 1
	case Set:
		return i == 1
	}
	return false
}

func (m Message) String() string { return strings.TrimSuffix(m.Encode(), "\n") }

// SetInfoMsg and the other constructors build the driver's messages.
func SetInfoMsg(name, value string) Message { return Message{SetInfo, []string{name, value}} }
func DelInfoMsg(name string) Message        { return Message{DelInfo, []string{name}} }
func AddEnumMsg(name, value string) Message { return Message{AddEnum, []string{name, value}} }
func DelEnumMsg(name, value string) Message { return Message{DelEnum, []string{name, value}} }
func AddRangeMsg(name string, min, max int) Message {
	return Message{AddRange, []string{name, strconv.Itoa(min), strconv.Itoa(max)}}
}
func DelRangeMsg(name string, min, max int) Message {
	return Message{DelRange, []string{name, strconv.Itoa(min), strconv.Itoa(max)}}
}
func SetAuxMsg(name string, aux int64) Message {
	return Message{SetAux, []string{name, strconv.FormatInt(aux, 10)}}
}
func SetFlagsMsg(name string, flags []string) Message {
	return Message{SetFlags, append([]string{name}, flags...)}
}
func AddCmdMsg(name string) Message { return Message{AddCmd, []string{name}} }
func DelCmdMsg(name string) Message { return Message{DelCmd, []string{name}} }
func TrackingMsg(id string, result int) Message {
	return Message{Tracking, []string{id, strconv.Itoa(result)}}
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
