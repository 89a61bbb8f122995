package genericups

// Modem-control lines, as Linux's TIOCM_* bits.
const (
	DTR = 0x002 // output: data terminal ready
	RTS = 0x004 // output: request to send
	ST  = 0x008 // output: a BREAK on the transmit line (NUT's use of TIOCM_ST)
	CTS = 0x020 // input: clear to send
	DCD = 0x040 // input: data carrier detect
	RNG = 0x080 // input: ring indicator
	DSR = 0x100 // input: data set ready
)

// signal is an input condition: it holds when the lines of mask read
// exactly want.
type signal struct{ mask, want int }

// on is a condition that holds when the line is high, off when low.
func on(line int) signal  { return signal{line, line} }
func off(line int) signal { return signal{line, 0} }

// noShutdown is a type without a known shutdown signal.
const noShutdown = -1

// upsType is a row of NUT's upstab: a UPS and its cable's wiring.
type upsType struct {
	mfr, model, desc string
	cablePower       int // lines set high to power the cable
	ol, lb, rb, byp  signal
	sd               int // lines set to shut down (ST: a BREAK); noShutdown
}

// types is NUT 2.8.0's upstab, in its order: upstype is the index.
var types = []upsType{
	{"UPSONIC", "LAN Saver 600", "UPSONIC LAN Saver 600", DTR | RTS, off(CTS), on(DCD), signal{}, signal{}, RTS},
	{"APC", "Back-UPS", "APC Back-UPS (940-0095A/C cable)", DTR, off(RNG), on(DCD), signal{}, signal{}, RTS},
	{"APC", "Back-UPS", "APC Back-UPS (940-0020B/C cable)", RTS, off(CTS), on(DCD), signal{}, signal{}, DTR | RTS},
	{"PowerTech", "Comp1000", "PowerTech Comp1000 with DTR as cable power", DTR, off(CTS), on(DCD), signal{}, signal{}, DTR | RTS},
	{"Generic", "Generic RUPS model", "Generic RUPS model", RTS, on(CTS), off(DCD), signal{}, signal{}, 0},
	{"TrippLite", "Internet Office Series", "Tripp Lite UPS with Lan2.2 interface (black 73-0844 cable)", DTR, on(CTS), off(DCD), signal{}, signal{}, DTR | RTS},
	{"Best", "Patriot", "Best Patriot (INT51 cable)", DTR, on(CTS), off(DCD), signal{}, signal{}, RTS},
	{"CyberPower", "Power99", "CyberPower Power99", RTS, on(CTS), off(DCD), signal{}, signal{}, DTR},
	{"Nitram", "Elite UPS", "Nitram Elite 500", DTR, on(CTS), off(DCD), signal{}, signal{}, noShutdown},
	{"APC", "Back-UPS", "APC Back-UPS (940-0023A cable)", 0, off(DCD), on(CTS), signal{}, signal{}, RTS},
	{"Victron", "Lite", "Victron Lite (crack cable)", RTS, on(CTS), off(DCD), signal{}, signal{}, DTR},
	{"Powerware", "3115", "Powerware 3115", DTR, off(CTS), off(DCD), signal{}, signal{}, ST},
	{"APC", "Back-UPS Office", "APC Back-UPS Office (940-0119A cable)", RTS, off(CTS), on(DCD), signal{}, signal{}, DTR},
	{"RPT", "Repoteck", "Repoteck RPT-800A, RPT-162A", DTR | RTS, on(DCD), off(CTS), signal{}, signal{}, ST},
	{"Online", "P250, P500, P750, P1250", "Online P-series", DTR, on(DCD), off(CTS), signal{}, signal{}, RTS},
	{"Powerware", "5119", "Powerware 5119", DTR, on(CTS), off(DCD), signal{}, signal{}, ST},
	{"Nitram", "Elite UPS", "Nitram Elite 2002", DTR | RTS, on(CTS), off(DCD), signal{}, signal{}, noShutdown},
	{"PowerKinetics", "9001", "PowerKinetics 9001", DTR, on(CTS), off(DCD), signal{}, signal{}, noShutdown},
	{"TrippLite", "Omni 450LAN", "TrippLite UPS with Martin's cabling", DTR, on(CTS), on(DCD), signal{}, signal{}, noShutdown},
	{"Fideltronik", "Ares Series", "Fideltronik Ares Series", DTR, on(CTS), off(DCD), signal{}, signal{}, RTS},
	{"Powerware", "5119 RM", "Powerware 5119 RM", DTR, off(CTS), on(DCD), signal{}, signal{}, ST},
	{"Generic", "Generic RUPS 2000", "Generic RUPS 2000 (Megatec M2501 cable)", RTS, on(CTS), off(DCD), signal{}, signal{}, RTS | DTR},
	{"Gamatronic Electronic Industries", "Generic Alarm UPS", "Gamatronic UPSs with alarm interface", RTS, on(CTS), off(DCD), signal{}, signal{}, DTR},
	{"Generic", "Generic FTTx Battery Backup", "FTTx (Fiber to the x) battery backup with 4-wire telemetry interface", RTS, on(CTS), off(DCD), off(RNG), off(DSR), 0},
}
