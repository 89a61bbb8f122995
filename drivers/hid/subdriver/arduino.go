package subdriver

import "gonut/state"

// arduinoInfo is arduino-hid.c's table (NUT 2.8.0's arduino_hid2nut), row for row.
var arduinoInfo = []Info{
	{Var: "ups.delay.start", Flags: state.RW | state.String, Len: 10, Path: "UPS.PowerSummary.DelayBeforeStartup", Format: defaultOnDelay, HID: HIDAbsent},
	{Var: "ups.delay.shutdown", Flags: state.RW | state.String, Len: 10, Path: "UPS.PowerSummary.DelayBeforeShutdown", Format: defaultOffDelay, HID: HIDAbsent},
	{Var: "ups.timer.start", Path: "UPS.PowerSummary.DelayBeforeStartup", Format: "%.0f", HID: HIDQuickPoll},
	{Var: "ups.timer.shutdown", Path: "UPS.PowerSummary.DelayBeforeShutdown", Format: "%.0f", HID: HIDQuickPoll},
	{Var: "ups.timer.reboot", Path: "UPS.PowerSummary.DelayBeforeReboot", Format: "%.0f", HID: HIDQuickPoll},
	{Var: "load.off.delay", Path: "UPS.PowerSummary.DelayBeforeShutdown", Format: defaultOffDelay, HID: HIDCommand},
	{Var: "load.on.delay", Path: "UPS.PowerSummary.DelayBeforeStartup", Format: defaultOnDelay, HID: HIDCommand},
	{Var: "shutdown.stop", Path: "UPS.PowerSummary.DelayBeforeShutdown", Format: "-1", HID: HIDCommand},
	{Var: "shutdown.reboot", Path: "UPS.PowerSummary.DelayBeforeReboot", Format: "10", HID: HIDCommand},
}
