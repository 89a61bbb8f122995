// Package qxsim is a simulated UPS of the Q1/Megatec family on a PTY, for
// tests and benchmarks: it answers the status, rating and vendor requests
// as the real device does and records every command, and the caller
// takes its mains away, runs its battery low, or makes it garble, cut
// its answers short or fall silent.
//
// Its answers are those of NUT's own test tables (nutdrv_qx_megatec.c's
// megatec_testing: "(215.0 195.0 230.0 014 49.0 22.7 30.0 00000000",
// "#230.0 000 024.0 50.0", "#NOT_A_LIVE_UPS  TESTING    TESTING   ")
// and the Megatec protocol document's line layout; as that document
// says, a request the UPS does not know is echoed back.
package qxsim

import (
	"fmt"
	"strings"
	"sync"

	"gonut/drivers/serial/serialtest"
)

// Fault is how the UPS misbehaves.
type Fault int

const (
	Healthy Fault = iota
	Silent        // answers nothing
	Garbled       // answers line noise
	Partial       // answers the first half of a line, no end
)

// Protocol is which requests the UPS answers.
type Protocol struct {
	Status string // "Q1\r" (Megatec, Zinto, Q1), "QS\r" (Mustek), "D\r" (Megatec/old)
	Vendor string // "I\r", "FW?\r", or "" when it has no vendor line
	Rating bool   // answers F
	// Fixed are requests answered always the same ("M\r": "V\r").
	Fixed map[string]string
	// Hex: the status line in bytes (Voltronic-QS-Hex).
	Hex bool
	// Done is the answer to a command carried out ("" none), Unknown
	// the answer to a request the UPS does not know ("": echoed).
	Done, Unknown string
}

// The protocols of NUT's blazer family.
var (
	Megatec    = Protocol{Status: "Q1\r", Vendor: "I\r", Rating: true}
	Mustek     = Protocol{Status: "QS\r", Vendor: "I\r", Rating: true}
	MegatecOld = Protocol{Status: "D\r", Vendor: "I\r", Rating: true}
	Zinto      = Protocol{Status: "Q1\r", Vendor: "FW?\r", Rating: true}
	Q1         = Protocol{Status: "Q1\r"}
	// Voltronic-QS answers M with its protocol, V (nutdrv_qx_voltronic-qs.c's
	// voltronic_qs_testing).
	VoltronicQS = Protocol{Status: "QS\r", Rating: true, Fixed: map[string]string{"M\r": "V\r"}}
	// Mecer answers commands (ACK and what it does not know (NAK; this
	// one speaks Voltronic Power's P98 (nutdrv_qx_mecer.c's mecer_testing).
	// VoltronicQSHex answers QS in bytes, and M with T (a UPS that also
	// gives its ratings); nutdrv_qx_voltronic-qs-hex.c's answers.
	VoltronicQSHex = Protocol{Status: "QS\r", Hex: true, Fixed: map[string]string{"M\r": "T\r"}}
	// Hunnox speaks Zinto's requests.
	Hunnox = Zinto
	Mecer  = Protocol{Status: "Q1\r", Vendor: "I\r", Rating: true, Fixed: map[string]string{"QPI\r": "(PI98\r", "T\r": "(NAK\r"},
		Done: "(ACK\r", Unknown: "(NAK\r"}
)

// UPS is the simulated device.
type UPS struct {
	Dev   *serialtest.Device
	proto Protocol

	mu      sync.Mutex
	onBatt  bool
	lowBatt bool
	beeper  bool
	fault   Fault
	battV   float64
	load    int
}

// New serves a UPS of a protocol on pty.
func New(pty *serialtest.PTY, p Protocol) *UPS {
	u := &UPS{proto: p, battV: 27.4, load: 14, beeper: true}
	u.Dev = serialtest.ServePTY(pty, serialtest.ScanCR, u.answer)
	return u
}

// MainsLost takes the mains away (true) or gives them back.
func (u *UPS) MainsLost(lost bool) {
	u.mu.Lock()
	u.onBatt = lost
	if lost {
		u.battV = 24.1
	} else {
		u.battV, u.lowBatt = 27.4, false
	}
	u.mu.Unlock()
}

// LowBattery runs the battery low.
func (u *UPS) LowBattery() {
	u.mu.Lock()
	u.lowBatt, u.battV = true, 20.8
	u.mu.Unlock()
}

// SetFault makes the UPS misbehave, or behave again (Healthy).
func (u *UPS) SetFault(f Fault) {
	u.mu.Lock()
	u.fault = f
	u.mu.Unlock()
}

// StatusLine is the status answer as the UPS gives it now.
func (u *UPS) StatusLine() string {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.status()
}

func (u *UPS) status() string {
	if u.proto.Hex {
		return u.hexStatus()
	}
	in, out := 230.4, 229.8
	if u.onBatt {
		in = 0
	}
	bits := []byte("00001000")
	if u.onBatt {
		bits[0] = '1'
	}
	if u.lowBatt {
		bits[1] = '1'
	}
	if u.beeper {
		bits[7] = '1'
	}
	return fmt.Sprintf("(%05.1f %05.1f %05.1f %03d %04.1f %04.1f %04.1f %s\r", in, 140.0, out, u.load, 50.0, u.battV, 30.0, bits)
}

func (u *UPS) answer(req string) string {
	u.mu.Lock()
	defer u.mu.Unlock()
	var a string
	switch {
	case req == u.proto.Status:
		a = u.status()
	case req == "F\r" && u.proto.Rating:
		a = "#230.0 004 024.0 50.0\r"
	case req == u.proto.Vendor && req != "":
		a = "#NOT_A_LIVE_UPS  TESTING    TESTING   \r"
	case u.proto.Fixed[req] != "":
		a = u.proto.Fixed[req]
	case req == "Q\r":
		u.beeper = !u.beeper
		return u.proto.Done
	case isCommand(req):
		return u.proto.Done
	case u.proto.Unknown != "":
		return u.proto.Unknown
	default:
		return req // unknown: echoed back
	}
	switch u.fault {
	case Silent:
		return ""
	case Garbled:
		return "\x13\xfe(2#0.\x00 9?\r"
	case Partial:
		return a[:len(a)/2]
	}
	return a
}

// isCommand reports whether a request is one of the family's commands
// (shutdowns, cancels, tests), which the UPS carries out without a word.
func isCommand(req string) bool {
	r := strings.TrimSuffix(req, "\r")
	switch {
	case r == "C", r == "CT", r == "T", r == "TL":
		return true
	case strings.HasPrefix(r, "T") && len(r) == 3:
		return true
	case strings.HasPrefix(r, "S") && len(r) >= 2:
		return true
	}
	return false
}

// hexStatus is the status line of Voltronic-QS-Hex: voltages as two
// numbers whose product over 51 is 256ths of a volt, the frequency as a
// quotient, the battery voltage as a product over 510, the status bits
// and the ratings (50 Hz, 24 V, 230 V) as bytes. No byte of it needs
// escaping.
func (u *UPS) hexStatus() string {
	in := "\xe6\x01 \x33" // 230.0 V
	if u.onBatt {
		in = "\x01\x01 \x01" // 0.0 V
	}
	batt := map[float64]string{27.4: "\x6a \x84", 24.1: "\x63 \x7c", 20.8: "\x68 \x66"}[u.battV]
	var bits byte = 0b00001000
	if u.onBatt {
		bits |= 0b10000000
	}
	if u.lowBatt {
		bits |= 0b01000000
	}
	if u.beeper {
		bits |= 0b00000001
	}
	return "#" + in + " " + "\xe6\x01 \x33" + " " + fmt.Sprintf("%c", byte(u.load)) + " \x50\x00 \x0f\xa0\x00 " + batt +
		" " + string([]byte{bits}) + " \x23\r"
}
