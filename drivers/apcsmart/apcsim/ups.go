// Package apcsim is an APC Smart-UPS on the UPS end of a PTY, for tests
// and benchmarks: it answers APC's Smart protocol as a 3rd-generation
// Smart-UPS 1500 (international, 230 V) does, and the test drives it
// (mains lost, low battery, alerts, line noise, silence, a baud-rate
// mismatch) and reads back every byte it got.
//
// Its answers follow the Smart protocol notes NUT published (kept in
// apcupsd's manual, smartprotocol.rst: typical answers, the `a` and ^Z
// formats, which commands answer OK, NA or nothing) and what NUT 2.8.0's
// drivers/apcsmart.c expects of them.
package apcsim

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"
)

// Status register bits (Q).
const (
	Cal   = 0x01
	Trim  = 0x02
	Boost = 0x04
	OL    = 0x08
	OB    = 0x10
	Over  = 0x20
	LB    = 0x40
	RB    = 0x80
)

// CmdSet is the answer to `a`: protocol 3, the alerts, the commands.
const CmdSet = "3.!$%+?=#|.\x01\x0e\x1a+-789<>@ABCDEFGKLMNOPQRSTUVWXYZabcefgjklmnopqrsuxyz~"

// enumerated values per command character and locale, for ^Z: the
// firmware ends in I, so the D (USA) rows are not this UPS's.
var capRows = []struct {
	cmd, loc byte
	values   []string
}{
	{'u', 'D', []string{"127", "130", "133", "136"}},
	{'u', 'I', []string{"253", "264", "271", "280"}},
	{'l', 'D', []string{"106", "103", "100", "097"}},
	{'l', 'I', []string{"196", "188", "208", "204"}},
	{'e', '4', []string{"00", "15", "50", "90"}},
	{'o', 'I', []string{"230", "240", "220", "225"}},
	{'s', '4', []string{"H", "M", "L", "L"}},
	{'q', '4', []string{"02", "05", "07", "10"}},
	{'p', '4', []string{"020", "180", "300", "600"}},
	{'r', '4', []string{"000", "060", "180", "300"}},
	{'E', '4', []string{"336", "168", "ON ", "OFF"}},
	{'k', '4', []string{"0", "T", "L", "N"}},
}

// Caps is the answer to ^Z built from capRows.
func Caps() string {
	var b strings.Builder
	b.WriteByte('#')
	for _, r := range capRows {
		fmt.Fprintf(&b, "%c%c%c%c", r.cmd, r.loc, '0'+len(r.values), '0'+len(r.values[0]))
		for _, v := range r.values {
			b.WriteString(v)
		}
	}
	return b.String()
}

// Model changes the Smart-UPS 1500 into another model: the answers it
// sets ("NA" for a character the model does not know) and the answer to
// `a` ("NA": a model that cannot list its commands).
type Model struct {
	Answers map[byte]string
	CmdSet  string
}

// Older models, from NUT's compatibility table and its notes on models
// that answer none of the newer queries.
var (
	// SmartUPS600 answers V with a firmware of NUT's compatibility table
	// (6QD) and neither `a` nor ^A.
	SmartUPS600 = Model{CmdSet: "NA", Answers: map[byte]string{'V': "6QD", 'b': "NA", 0x01: "NA", 0x1a: "NA", 'T': "NA"}}
	// MatrixUPS is a Matrix-UPS (0XI), which also reads its output
	// current (/).
	MatrixUPS = Model{CmdSet: "NA", Answers: map[byte]string{'V': "0XI", 'b': "NA", 0x01: "NA", '/': "004.20", 0x0c: "E"}}
	// OldSmartUPS answers nothing but the basic measurements.
	OldSmartUPS = Model{CmdSet: "NA", Answers: map[byte]string{'V': "NA", 'b': "NA", 0x01: "NA", 'n': "NA", 0x1a: "NA"}}
)

// UPS is the simulated Smart-UPS.
type UPS struct {
	rw     io.ReadWriter
	cmdSet string

	mu         sync.Mutex
	status     uint8
	values     map[byte]string
	got        []byte // every byte received
	silent     bool
	garble     bool
	baud       bool // answers as a line at the wrong speed shows them
	smart      bool
	last       byte      // the last variable asked (what `-` changes)
	pending    byte      // the first of a doubled command, waiting for its second
	since      time.Time // when it came
	collect    []byte    // the characters of a multi-character command so far
	collectFor byte
	glued      byte      // an alert to send right behind the next answer
	lastRx     time.Time // when the last byte came
	changed    chan struct{}
	done       chan struct{}
}

// New starts a UPS answering on rw (a PTY master) until rw fails.
func New(rw io.ReadWriter) *UPS { return NewModel(rw, Model{}) }

// NewModel starts a UPS of another model.
func NewModel(rw io.ReadWriter, m Model) *UPS {
	u := &UPS{rw: rw, status: OL, cmdSet: CmdSet, changed: make(chan struct{}), done: make(chan struct{}), values: map[byte]string{
		0x01: "SMART-UPS 1500", 'B': "27.87", 'C': "036.0", 'E': "336", 'F': "50.00", 'G': "O",
		'L': "230.4", 'M': "232.7", 'N': "228.2", 'O': "230.4", 'P': "023.4", 'T': "096.0",
		'V': "GWI", 'X': "NO", 'b': "601.3.I", 'c': "UPS_IDEN", 'e': "00", 'f': "100.0",
		'g': "024", 'j': "0112:", 'k': "0", 'l': "196", 'm': "11/29/96", 'n': "WS9643050926",
		'o': "230", 'p': "020", 'q': "02", 'r': "000", 's': "H", 'u': "253", 'x': "11/29/96",
		'y': "(C)APCC", '9': "FF", '7': "0F", '<': "000", '>': "000",
	}}
	if m.CmdSet != "" {
		u.cmdSet = m.CmdSet
	}
	for k, v := range m.Answers {
		u.values[k] = v
	}
	go u.serve()
	return u
}

// Done is closed once the UPS stops (its line failed).
func (u *UPS) Done() <-chan struct{} { return u.done }

func (u *UPS) serve() {
	defer close(u.done)
	buf := make([]byte, 256)
	for {
		n, err := u.rw.Read(buf)
		for _, b := range buf[:n] {
			if a := u.take(b); a != "" {
				if _, err := u.rw.Write([]byte(a)); err != nil {
					return
				}
			}
		}
		if err != nil {
			return
		}
	}
}

// take handles one byte from the driver and returns what the UPS says.
func (u *UPS) take(b byte) string {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.got = append(u.got, b)
	u.lastRx = time.Now()
	close(u.changed)
	u.changed = make(chan struct{})
	a := u.answer(b)
	if u.glued != 0 && a != "" && !u.silent {
		u.apply(u.glued)
		a += string(u.glued)
		u.glued = 0
	}
	switch {
	case a == "" || u.silent:
		return ""
	case u.baud:
		// 2400 baud read at 9600: each character smears into framing
		// errors, and no line ever ends.
		return strings.Repeat("\xf8\x80", len(a))
	case u.garble:
		return "\x7f#@~x" + a[:len(a)/2] + "\r\n"
	}
	return a
}

func line(s string) string { return s + "\r\n" }

// answer is the protocol; u.mu is held.
func (u *UPS) answer(b byte) string {
	if u.collectFor != 0 {
		return u.collecting(b)
	}
	if u.pending != 0 {
		first, since := u.pending, u.since
		u.pending = 0
		if b == first && time.Since(since) < 3*time.Second {
			return u.doubled(b)
		}
	}
	switch b {
	case 'Y':
		u.smart = true
		return line("SM")
	case 'R':
		u.smart = false
		return line("BYE")
	case 27:
		return line("NA")
	case 'Q':
		return line(fmt.Sprintf("%02X", u.status))
	case 'a':
		return line(u.cmdSet)
	case 0x1a:
		if v, ok := u.values[0x1a]; ok {
			return line(v)
		}
		return line(Caps())
	case 'A', 'W':
		return line("OK")
	case 'U':
		return line("OK")
	case 'D':
		u.status ^= Cal
		return line("OK")
	case '^':
		if v := u.values['^']; v != "" {
			return line(v)
		}
		return line("NA")
	case 'S':
		if u.status&OB == 0 {
			return line("NO")
		}
		u.status = 0
		return line("OK")
	case 'K', 'Z', 0x0e:
		u.pending, u.since = b, time.Now()
		return ""
	case '@':
		u.collectFor, u.collect = '@', nil
		return ""
	case '-':
		if u.last == 'c' || u.last == 'x' {
			u.collectFor, u.collect = '-', nil
			return ""
		}
		return u.next()
	}
	if v, ok := u.values[b]; ok && v != "NA" {
		u.last = b
		return line(v)
	}
	return line("NA")
}

// doubled is the second character of K, Z or ^N.
func (u *UPS) doubled(b byte) string {
	switch b {
	case 'K':
		u.status = 0
		return line("OK")
	case 'Z':
		u.status = 0
		return "" // off at once, says nothing
	}
	u.status = OL
	return ""
}

// collecting takes the characters of @nnn or of a string being written.
func (u *UPS) collecting(b byte) string {
	u.collect = append(u.collect, b)
	switch u.collectFor {
	case '@':
		if len(u.collect) < 3 {
			return ""
		}
		u.collectFor = 0
		u.status = 0
		return line("OK")
	}
	if len(u.collect) < 8 {
		return ""
	}
	u.collectFor = 0
	u.values[u.last] = strings.TrimRight(string(u.collect), "\r")
	return line("OK")
}

// next steps the last variable asked to its next enumerated value.
func (u *UPS) next() string {
	for _, r := range capRows {
		if r.cmd != u.last || r.loc != 'I' && r.loc != '4' {
			continue
		}
		cur := u.values[r.cmd]
		for i, v := range r.values {
			if v == cur {
				u.values[r.cmd] = r.values[(i+1)%len(r.values)]
				return line("OK")
			}
		}
		u.values[r.cmd] = r.values[0]
		return line("OK")
	}
	return line("NO")
}

// Alert sends alert characters by themselves (between polls).
func (u *UPS) Alert(s string) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	_, err := u.rw.Write([]byte(s))
	return err
}

// Event changes the status register as an alert character says, and
// sends the character.
func (u *UPS) Event(alert byte) error {
	u.mu.Lock()
	u.apply(alert)
	u.mu.Unlock()
	return u.Alert(string(alert))
}

// GlueAlert makes the next answer carry an alert right behind it, in
// the same write (the status register changes then).
func (u *UPS) GlueAlert(alert byte) {
	u.mu.Lock()
	u.glued = alert
	u.mu.Unlock()
}

// apply changes the status register as an alert says; u.mu is held.
func (u *UPS) apply(alert byte) {
	switch alert {
	case '!':
		u.status = u.status&^OL | OB
	case '$':
		u.status = u.status&^OB | OL
	case '%':
		u.status |= LB
	case '+':
		u.status &^= LB
	case '#':
		u.status |= RB
	case '?':
		u.status |= Over
	case '=':
		u.status &^= Over
	}
}

// PowerFail takes the UPS on battery and says so ('!').
func (u *UPS) PowerFail() error {
	u.mu.Lock()
	u.status = u.status&^OL | OB
	u.values['L'], u.values['G'] = "000.0", "L"
	u.mu.Unlock()
	return u.Alert("!")
}

// PowerBack puts it back on line ('$').
func (u *UPS) PowerBack() error {
	u.mu.Lock()
	u.status = u.status&^(OB|LB) | OL
	u.values['L'] = "230.4"
	u.mu.Unlock()
	return u.Alert("$")
}

// LowBattery sets LB ('%').
func (u *UPS) LowBattery() error {
	u.mu.Lock()
	u.status |= LB
	u.values['f'], u.values['j'] = "009.0", "0002:"
	u.mu.Unlock()
	return u.Alert("%")
}

// SetStatus sets the status register without an alert.
func (u *UPS) SetStatus(s uint8) {
	u.mu.Lock()
	u.status = s
	u.mu.Unlock()
}

// Set sets a variable's answer.
func (u *UPS) Set(cmd byte, value string) {
	u.mu.Lock()
	u.values[cmd] = value
	u.mu.Unlock()
}

// Silent stops (or resumes) all answers.
func (u *UPS) Silent(on bool) { u.mu.Lock(); u.silent = on; u.mu.Unlock() }

// Garble makes every answer line noise then half the answer.
func (u *UPS) Garble(on bool) { u.mu.Lock(); u.garble = on; u.mu.Unlock() }

// BaudMismatch makes answers what a line at the wrong speed reads.
func (u *UPS) BaudMismatch(on bool) { u.mu.Lock(); u.baud = on; u.mu.Unlock() }

// Received is every byte received so far.
func (u *UPS) Received() []byte {
	u.mu.Lock()
	defer u.mu.Unlock()
	return bytes.Clone(u.got)
}

// WaitFor waits until the bytes received from offset from on contain
// want; it reports whether they did within timeout.
func (u *UPS) WaitFor(from int, want []byte, timeout time.Duration) bool {
	deadline := time.After(timeout)
	for {
		u.mu.Lock()
		ok := from <= len(u.got) && bytes.Contains(u.got[from:], want)
		c := u.changed
		u.mu.Unlock()
		if ok {
			return true
		}
		select {
		case <-c:
		case <-deadline:
			return false
		}
	}
}

// Quiet waits until the driver has sent nothing for d (it is between
// polls), at most timeout; it reports whether it was.
func (u *UPS) Quiet(d, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		u.mu.Lock()
		idle := time.Since(u.lastRx)
		u.mu.Unlock()
		if idle >= d {
			return true
		}
		time.Sleep(d - idle)
	}
	return false
}

// Values lists the variables' answers, sorted by character (for logs).
func (u *UPS) Values() []string {
	u.mu.Lock()
	defer u.mu.Unlock()
	var out []string
	for k, v := range u.values {
		out = append(out, fmt.Sprintf("%q=%q", k, v))
	}
	sort.Strings(out)
	return out
}
