package apcsmart

// format is how a variable's raw answer becomes NUT's value.
type format uint8

const (
	fLeave   format = iota // as the UPS says it
	fMinutes               // minutes, shown in seconds
	fHours                 // hours, shown in seconds
	fReason                // a transfer reason letter, shown in words
)

// varFlags are a variable's properties in the table.
type varFlags uint16

const (
	vPoll   varFlags = 1 << iota // read at every update (else hourly)
	vString                      // an 8-character string the UPS stores (writable)
	vMulti                       // one of several rows for one name or one character
	vPack                        // comma-separated fields: ambient.N.*
)

// variable is a row of the variable table: a NUT name, the character that
// reads it, and, for rows that share a name or a character, the shape a
// raw answer must have to be this row's.
type variable struct {
	name  string
	cmd   byte
	flags varFlags
	fmt   format
	shape func(string) bool // nil: any answer
}

// variables is NUT 2.8.0's apc_vartab, in its order: where two rows
// share a name or a character (vMulti), the first that the UPS answers in
// its shape wins.
var variables = []variable{
	{"ups.temperature", 'C', vPoll, fLeave, nil},
	{"ups.load", 'P', vPoll, fLeave, nil},
	{"ups.test.interval", 'E', 0, fHours, nil},
	{"ups.test.result", 'X', vPoll, fLeave, nil},
	{"ups.delay.start", 'r', 0, fLeave, nil},
	{"ups.delay.shutdown", 'p', 0, fLeave, nil},
	{"ups.id", 'c', vString, fLeave, nil},
	{"ups.contacts", 'i', vPoll, fLeave, nil},
	{"ups.display.language", 0x0c, 0, fLeave, nil},
	{"input.voltage", 'L', vPoll, fLeave, nil},
	{"input.frequency", 'F', vPoll, fLeave, nil},
	{"input.sensitivity", 's', 0, fLeave, nil},
	{"input.quality", '9', vPoll, fLeave, nil},
	{"input.transfer.low", 'l', 0, fLeave, nil},
	{"input.transfer.high", 'u', 0, fLeave, nil},
	{"input.transfer.reason", 'G', vPoll, fReason, nil},
	{"input.voltage.maximum", 'M', vPoll, fLeave, nil},
	{"input.voltage.minimum", 'N', vPoll, fLeave, nil},
	{"output.current", '/', vPoll, fLeave, nil},
	{"output.voltage", 'O', vPoll, fLeave, nil},
	{"output.voltage.nominal", 'o', 0, fLeave, nil},
	{"ambient.humidity", 'h', vPoll, fLeave, nil},
	{"ambient.0.humidity", 'H', vPoll | vPack, fLeave, nil},
	{"ambient.0.humidity.high", '{', vPoll | vPack, fLeave, nil},
	{"ambient.0.humidity.low", '}', vPoll | vPack, fLeave, nil},
	{"ambient.temperature", 't', vPoll, fLeave, nil},
	{"ambient.0.temperature", 'T', vMulti | vPoll | vPack, fLeave, digits(2, 2)},
	{"ambient.0.temperature.high", '[', vPoll | vPack, fLeave, nil},
	{"ambient.0.temperature.low", ']', vPoll | vPack, fLeave, nil},
	{"battery.date", 'x', vString, fLeave, nil},
	{"battery.charge", 'f', vPoll, fLeave, nil},
	{"battery.charge.restart", 'e', 0, fLeave, nil},
	{"battery.voltage", 'B', vPoll, fLeave, nil},
	{"battery.voltage.nominal", 'g', 0, fLeave, nil},
	{"battery.runtime", 'j', vPoll, fMinutes, nil},
	{"battery.runtime.low", 'q', 0, fMinutes, nil},
	{"battery.packs", '>', 0, fLeave, nil},
	{"battery.packs.bad", '<', 0, fLeave, nil},
	{"battery.alarm.threshold", 'k', 0, fLeave, nil},
	{"device.uptime", 'T', vMulti | vPoll, fHours, digits(3, 1)},
	{"ups.serial", 'n', 0, fLeave, nil},
	{"ups.mfr.date", 'm', 0, fLeave, nil},
	{"ups.model", 0x01, 0, fLeave, nil},
	{"ups.firmware.aux", 'v', 0, fLeave, nil},
	{"ups.firmware", 'b', vMulti, fLeave, threeParts},
	{"ups.firmware", 'V', vMulti, fLeave, nil},
}

// command is a row of the instant command table.
type command struct {
	name   string
	param  func(string) bool // the parameter it takes; nil: none
	cmd    byte              // the character that runs it
	nasty  bool              // must be asked twice, 3 to 15 s apart
	repeat bool              // the character is sent twice, 1.3 s apart
}

// Characters of the protocol that are not variables.
const (
	cStatus    = 'Q'
	cSmart     = 'Y'
	cDumb      = 'R'
	cCmdSet    = 'a'
	cCaps      = 0x1a // ^Z
	cNext      = '-'
	cFwOld     = 'V'
	cFwNew     = 'b'
	cOff       = 'Z'
	cOn        = 0x0e // ^N
	cPanelTest = 'A'
	cSimPwrF   = 'U'
	cBattTest  = 'W'
	cHardHib   = '@'
	cSoftHib   = 'S'
	cShutdown  = 'K'
	cCalibrate = 'D'
	cBypass    = '^'
)

// commands is NUT 2.8.0's apc_cmdtab.
var commands = []command{
	{"shutdown.return", atDelay, cHardHib, true, false},
	{"shutdown.return", csOrNone, cSoftHib, true, false},
	{"shutdown.stayoff", nil, cShutdown, true, true},
	{"load.off", nil, cOff, true, true},
	{"load.on", nil, cOn, false, true},
	{"calibrate.start", nil, cCalibrate, false, false},
	{"calibrate.stop", nil, cCalibrate, false, false},
	{"test.panel.start", nil, cPanelTest, false, false},
	{"test.failure.start", nil, cSimPwrF, false, false},
	{"test.battery.start", nil, cBattTest, false, false},
	{"test.battery.stop", nil, cBattTest, false, false},
	{"bypass.start", nil, cBypass, false, false},
	{"bypass.stop", nil, cBypass, false, false},
}

// unread are characters an `a` answer lists that this driver uses
// itself or leaves alone (NUT's APC_UNR_CMDS).
const unread = "\x1a\x7f~')-+8QRYayz"

// compat is NUT 2.8.0's apc_compattab: the characters that models which
// cannot answer `a` take, by their firmware answer (V, else b). "set\x01"
// stands for any two-hex-digit answer of b (old models that read their
// voltage there).
var compat = map[string]string{
	"0XI":     "@789ABCDEFGKLMNOPQRSTUVWXYZcefgjklmnopqrsuwxz/<>\\^\x0c\x16",
	"0XM":     "@789ABCDEFGKLMNOPQRSTUVWXYZcefgjklmnopqrsuwxz/<>\\^\x0c\x16",
	"0ZI":     "@79ABCDEFGKLMNOPQRSUVWXYZcefgjklmnopqrsuxz/<>",
	"5UI":     "@79ABCDEFGKLMNOPQRSUVWXYZcefgjklmnopqrsuxz/<>",
	"5ZM":     "@79ABCDEFGKLMNOPQRSUVWXYZcefgjklmnopqrsuxz/<>",
	"6QD":     "@79ABCDEFGKLMNOPQRSUVWXYZcefgjklmnopqrsuxz",
	"6QI":     "@79ABCDEFGKLMNOPQRSUVWXYZcefgjklmnopqrsuxz",
	"6TD":     "@79ABCDEFGKLMNOPQRSUVWXYZcefgjklmnopqrsuxz",
	"6TI":     "@79ABCDEFGKLMNOPQRSUVWXYZcefgjklmnopqrsuxz",
	"7QD":     "@79ABCDEFGKLMNOPQRSUVWXYZcefgjklmnopqrsuxz",
	"7QI":     "@79ABCDEFGKLMNOPQRSUVWXYZcefgjklmnopqrsuxz",
	"7TD":     "@79ABCDEFGKLMNOPQRSUVWXYZcefgjklmnopqrsuxz",
	"7TI":     "@79ABCDEFGKLMNOPQRSUVWXYZcefgjklmnopqrsuxz",
	"6JI":     "@789ABCFGKLMNOPQSTUVWXYZfg",
	"7II":     "@79ABCEFGKLMNOPQRSUVWXYZcfg",
	"9II":     "@79ABCEFGKLMNOPQRSUVWXYZcfg",
	"9GI":     "@79ABCEFGKLMNOPQRSUVWXYZcfg",
	"8II":     "@79ABCEFGKLMNOPQRSUVWXYZcfg",
	"8GI":     "@79ABCEFGKLMNOPQRSUVWXYZfg",
	"8QD":     "@79ABCDEFGKLMNOPQRSUVWXYZcefgjklmnopqrsuxz",
	"8QI":     "@79ABCDEFGKLMNOPQRSUVWXYZcefgjklmnopqrsuxz",
	"8TD":     "@79ABCDEFGKLMNOPQRSUVWXYZcefgjklmnopqrsuxz",
	"8TI":     "@79ABCDEFGKLMNOPQRSUVWXYZcefgjklmnopqrsuxz",
	"5.4.D":   "@\x01ABPQRSUYbdfgjmnx9",
	"set\x01": "@789ABCFGKLMNOPQRSUVWXYZ",
}

// quirkyFirmware overflows its capability string (NUT's
// quirk_capability_overflow): its end is not an error.
const quirkyFirmware = "451.2.I"

// Status bits of the Q answer.
const (
	stCal   = 1 << 0
	stTrim  = 1 << 1
	stBoost = 1 << 2
	stOL    = 1 << 3
	stOB    = 1 << 4
	stOver  = 1 << 5
	stLB    = 1 << 6
	stRB    = 1 << 7
)

// statusWords are ups.status's tokens for the bits, in NUT's order.
var statusWords = []struct {
	bit  uint8
	word string
}{
	{stCal, "CAL"}, {stTrim, "TRIM"}, {stBoost, "BOOST"}, {stOL, "OL"},
	{stOB, "OB"}, {stOver, "OVER"}, {stLB, "LB"}, {stRB, "RB"},
}

// Alert characters: what the UPS sends by itself.
const alertChars = "$!%+#?="
