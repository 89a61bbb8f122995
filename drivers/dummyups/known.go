package dummyups

import "gonut/state"

// known is how NUT's dummy-ups declares the variables it knows: flags and
// maximum string length. Any other variable a file sets is a writable
// string of up to 32 characters. The first three are shown before the file
// is read, with these defaults.
type known struct {
	name    string
	flags   state.Flags
	aux     int64
	initial string
}

func knownVars() []known {
	const rw, rws = state.RW, state.RW | state.String
	return []known{
		{"ups.mfr", rws, 32, "Dummy Manufacturer"},
		{"ups.model", rws, 32, "Dummy UPS"},
		{"ups.status", rws, 32, "OL"},
		{"ups.serial", rws, 32, ""},
		{"ups.load", rw, 32, ""},
		{"ups.alarm", rws, 32, ""},
		{"ups.time", rws, 16, ""},
		{"ups.date", rws, 16, ""},
		{"ups.mfr.date", rws, 16, ""},
		{"ups.firmware", rws, 16, ""},
		{"ups.firmware.aux", rws, 16, ""},
		{"ups.temperature", rw, 1, ""},
		{"ups.id", rws, 16, ""},
		{"ups.delay.start", rw, 1, ""},
		{"ups.delay.reboot", rw, 1, ""},
		{"ups.delay.shutdown", rw, 1, ""},
		{"ups.test.interval", rw, 1, ""},
		{"ups.test.result", rws, 16, ""},
		{"input.voltage", rw, 1, ""},
		{"input.voltage.maximum", rw, 1, ""},
		{"input.voltage.minimum", rw, 1, ""},
		{"input.voltage.nominal", rw, 1, ""},
		{"input.transfer.reason", rws, 1, ""},
		{"input.transfer.low", rw, 1, ""},
		{"input.transfer.high", rw, 1, ""},
		{"input.sensitivity", rws, 1, ""},
		{"input.quality", rws, 6, ""},
		{"input.frequency", rw, 1, ""},
		{"input.transfer.boost.low", rw, 1, ""},
		{"input.transfer.boost.high", rw, 1, ""},
		{"input.transfer.trim.low", rw, 1, ""},
		{"input.transfer.trim.high", rw, 1, ""},
		{"output.voltage", rw, 1, ""},
		{"output.frequency", rw, 1, ""},
		{"output.current", rw, 1, ""},
		{"battery.charge", rw, 1, ""},
		{"battery.charge.low", rw, 1, ""},
		{"battery.voltage", rw, 1, ""},
		{"battery.current", rw, 1, ""},
		{"battery.runtime", rw, 1, ""},
		{"battery.runtime.low", rw, 1, ""},
		{"battery.charge.restart", rw, 1, ""},
		{"battery.temperature", rw, 1, ""},
		{"battery.voltage.nominal", rw, 1, ""},
		{"ambient.temperature", rw, 1, ""},
		{"ambient.temperature.alarm", rw, 1, ""},
		{"ambient.temperature.high", rw, 1, ""},
		{"ambient.temperature.low", rw, 1, ""},
		{"ambient.humidity", rw, 1, ""},
		{"ambient.humidity.alarm", rw, 1, ""},
		{"ambient.humidity.high", rw, 1, ""},
		{"ambient.humidity.low", rw, 1, ""},
	}
}
