package subdriver

import (
	"fmt"
	"strings"

	"gonut/state"
)

// usbhid-ups's default delays, in seconds: ondelay and offdelay.
const (
	defaultOnDelay  = "30"
	defaultOffDelay = "20"
)

// apcInfo is apc-hid.c's table (NUT 2.8.0's apc_hid2nut), row for row:
// several rows of a variable serve different models (Back-UPS, Back-UPS
// ES, Smart-UPS), and the first path a device has wins.
var apcInfo = []Info{
	// battery
	{Var: "battery.charge", Path: "UPS.PowerSummary.RemainingCapacity", Format: "%.0f"},
	{Var: "battery.charge.low", Flags: state.RW | state.String, Len: 10, Path: "UPS.PowerSummary.RemainingCapacityLimit", Format: "%.0f", HID: HIDSemiStatic},
	{Var: "battery.charge.warning", Path: "UPS.PowerSummary.WarningCapacityLimit", Format: "%.0f"},
	{Var: "battery.runtime", Path: "UPS.Battery.RunTimeToEmpty", Format: "%.0f"},
	{Var: "battery.runtime", Path: "UPS.PowerSummary.RunTimeToEmpty", Format: "%.0f"},
	{Var: "battery.runtime.low", Flags: state.RW | state.String, Len: 10, Path: "UPS.Battery.RemainingTimeLimit", Format: "%.0f", HID: HIDSemiStatic},
	{Var: "battery.runtime.low", Flags: state.RW | state.String, Len: 10, Path: "UPS.PowerSummary.RemainingTimeLimit", Format: "%.0f", HID: HIDSemiStatic},
	{Var: "battery.voltage", Path: "UPS.Battery.Voltage", Format: "%.1f"},
	{Var: "battery.voltage", Path: "UPS.PowerSummary.Voltage", Format: "%.1f"},
	{Var: "battery.voltage.nominal", Path: "UPS.Battery.ConfigVoltage", Format: "%.1f"},
	{Var: "battery.voltage.nominal", Path: "UPS.PowerSummary.ConfigVoltage", Format: "%.1f"},
	{Var: "battery.temperature", Path: "UPS.Battery.Temperature", Format: "%s", Lookup: KelvinCelsiusConversion},
	{Var: "battery.type", Path: "UPS.PowerSummary.iDeviceChemistry", Format: "%s", Lookup: StringIDConversion},
	{Var: "battery.mfr.date", Flags: state.RW | state.String, Len: 10, Path: "UPS.Battery.ManufacturerDate", Format: "%s", HID: HIDSemiStatic, Lookup: DateConversion},
	{Var: "battery.mfr.date", Path: "UPS.PowerSummary.APCBattReplaceDate", Format: "%s", Lookup: apcDateConversion},
	{Var: "battery.date", Path: "UPS.Battery.APCBattReplaceDate", Format: "%s", Lookup: apcDateConversion},

	// ups
	{Var: "ups.load", Path: "UPS.Output.PercentLoad", Format: "%.1f"},
	{Var: "ups.load", Path: "UPS.PowerConverter.PercentLoad", Format: "%.0f"},
	{Var: "ups.delay.start", Flags: state.RW | state.String, Len: 10, Path: "UPS.PowerSummary.DelayBeforeStartup", Format: defaultOnDelay, HID: HIDAbsent},
	{Var: "ups.delay.shutdown", Flags: state.RW | state.String, Len: 10, Path: "UPS.PowerSummary.DelayBeforeShutdown", Format: defaultOffDelay, HID: HIDAbsent},
	{Var: "ups.timer.start", Path: "UPS.PowerSummary.DelayBeforeStartup", Format: "%.0f", HID: HIDQuickPoll},
	{Var: "ups.timer.shutdown", Path: "UPS.PowerSummary.DelayBeforeShutdown", Format: "%.0f", HID: HIDQuickPoll},
	{Var: "ups.timer.reboot", Path: "UPS.PowerSummary.DelayBeforeReboot", Format: "%.0f", HID: HIDQuickPoll},
	{Var: "ups.delay.start", Flags: state.RW | state.String, Len: 10, Path: "UPS.Output.DelayBeforeStartup", Format: defaultOnDelay, HID: HIDAbsent},
	{Var: "ups.delay.shutdown", Flags: state.RW | state.String, Len: 10, Path: "UPS.Output.DelayBeforeShutdown", Format: defaultOffDelay, HID: HIDAbsent},
	{Var: "ups.timer.start", Path: "UPS.Output.DelayBeforeStartup", Format: "%.0f", HID: HIDQuickPoll},
	{Var: "ups.timer.shutdown", Path: "UPS.Output.DelayBeforeShutdown", Format: "%.0f", HID: HIDQuickPoll},
	{Var: "ups.timer.reboot", Path: "UPS.Output.DelayBeforeReboot", Format: "%.0f", HID: HIDQuickPoll},
	{Var: "ups.delay.start", Flags: state.RW | state.String, Len: 10, Path: "UPS.APCGeneralCollection.APCDelayBeforeStartup", Format: defaultOnDelay, HID: HIDAbsent},
	{Var: "ups.delay.shutdown", Flags: state.RW | state.String, Len: 10, Path: "UPS.APCGeneralCollection.APCDelayBeforeShutdown", Format: defaultOffDelay, HID: HIDAbsent},
	{Var: "ups.timer.start", Path: "UPS.APCGeneralCollection.APCDelayBeforeStartup", Format: "%.0f", HID: HIDQuickPoll},
	{Var: "ups.timer.shutdown", Path: "UPS.APCGeneralCollection.APCDelayBeforeShutdown", Format: "%.0f", HID: HIDQuickPoll},
	{Var: "ups.timer.reboot", Path: "UPS.APCGeneralCollection.APCDelayBeforeReboot", Format: "%.0f", HID: HIDQuickPoll},
	{Var: "ups.test.result", Path: "UPS.Battery.Test", Format: "%s", Lookup: TestReadInfo},
	{Var: "ups.beeper.status", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "%s", Lookup: BeeperInfo},
	{Var: "ups.mfr.date", Path: "UPS.ManufacturerDate", Format: "%s", Lookup: DateConversion},
	{Var: "ups.mfr.date", Path: "UPS.PowerSummary.ManufacturerDate", Format: "%s", Lookup: DateConversion},
	{Var: "ups.realpower.nominal", Path: "UPS.PowerConverter.ConfigActivePower", Format: "%.0f"},
	{Var: "ups.realpower.nominal", Path: "UPS.Output.ConfigActivePower", Format: "%.0f"},

	// ups.status and ups.alarm
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.ACPresent", HID: HIDQuickPoll, Lookup: OnlineInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.Discharging", HID: HIDQuickPoll, Lookup: DischargingInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.Charging", HID: HIDQuickPoll, Lookup: ChargingInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.ShutdownImminent", Lookup: ShutdownImmInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.BelowRemainingCapacityLimit", HID: HIDQuickPoll, Lookup: LowBattInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.Overload", Lookup: OverloadInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.NeedReplacement", Lookup: ReplaceBattInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.RemainingTimeLimitExpired", Lookup: TimeLimitExpiredInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.BatteryPresent", Lookup: NoBatteryInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.Charging", HID: HIDQuickPoll, Lookup: ChargingInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.Discharging", HID: HIDQuickPoll, Lookup: DischargingInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.ACPresent", HID: HIDQuickPoll, Lookup: OnlineInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.BelowRemainingCapacityLimit", HID: HIDQuickPoll, Lookup: LowBattInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.ShutdownImminent", Lookup: ShutdownImmInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.APCStatusFlag", HID: HIDQuickPoll, Lookup: apcStatusFlagInfo},
	{Var: "BOOL", Path: "UPS.Input.APCLineFailCause", Lookup: apcLineFailCauseVRangeInfo},
	{Var: "BOOL", Path: "UPS.Input.APCLineFailCause", Lookup: apcLineFailCauseFRangeInfo},

	// input
	{Var: "input.voltage", Path: "UPS.Input.Voltage", Format: "%.1f"},
	{Var: "input.voltage.nominal", Path: "UPS.Input.ConfigVoltage", Format: "%.0f"},
	{Var: "input.transfer.low", Flags: state.RW | state.String, Len: 10, Path: "UPS.Output.LowVoltageTransfer", Format: "%.0f", HID: HIDSemiStatic},
	{Var: "input.transfer.high", Flags: state.RW | state.String, Len: 10, Path: "UPS.Output.HighVoltageTransfer", Format: "%.0f", HID: HIDSemiStatic},
	{Var: "input.transfer.low", Flags: state.RW | state.String, Len: 10, Path: "UPS.Input.LowVoltageTransfer", Format: "%.0f", HID: HIDSemiStatic},
	{Var: "input.transfer.high", Flags: state.RW | state.String, Len: 10, Path: "UPS.Input.HighVoltageTransfer", Format: "%.0f", HID: HIDSemiStatic},
	{Var: "input.sensitivity", Flags: state.RW | state.String, Len: 10, Path: "UPS.Input.APCSensitivity", Format: "%s", HID: HIDSemiStatic, Lookup: apcSensitivityInfo},

	// output
	{Var: "output.voltage", Path: "UPS.Output.Voltage", Format: "%.1f"},
	{Var: "output.voltage.nominal", Path: "UPS.Output.ConfigVoltage", Format: "%.1f"},
	{Var: "output.current", Path: "UPS.Output.Current", Format: "%.2f"},
	{Var: "output.frequency", Path: "UPS.Output.Frequency", Format: "%.1f"},

	// environment (APC probe 1)
	{Var: "ambient.temperature", Path: "UPS.APCEnvironment.APCProbe1.Temperature", Format: "%s", Lookup: KelvinCelsiusConversion},
	{Var: "ambient.humidity", Path: "UPS.APCEnvironment.APCProbe1.Humidity", Format: "%.1f"},

	// instant commands
	{Var: "test.battery.start.quick", Path: "UPS.BatterySystem.Battery.Test", Format: "1", HID: HIDCommand},
	{Var: "test.battery.start.quick", Path: "UPS.Battery.Test", Format: "1", HID: HIDCommand},
	{Var: "test.battery.start.deep", Path: "UPS.BatterySystem.Battery.Test", Format: "2", HID: HIDCommand},
	{Var: "test.battery.start.deep", Path: "UPS.Battery.Test", Format: "2", HID: HIDCommand},
	{Var: "test.battery.stop", Path: "UPS.BatterySystem.Battery.Test", Format: "3", HID: HIDCommand},
	{Var: "test.battery.stop", Path: "UPS.Battery.Test", Format: "3", HID: HIDCommand},
	{Var: "test.panel.start", Path: "UPS.APCPanelTest", Format: "1", HID: HIDCommand},
	{Var: "test.panel.stop", Path: "UPS.APCPanelTest", Format: "0", HID: HIDCommand},
	{Var: "test.panel.start", Path: "UPS.PowerSummary.APCPanelTest", Format: "1", HID: HIDCommand},
	{Var: "test.panel.stop", Path: "UPS.PowerSummary.APCPanelTest", Format: "0", HID: HIDCommand},
	{Var: "load.off.delay", Path: "UPS.PowerSummary.DelayBeforeShutdown", Format: defaultOffDelay, HID: HIDCommand},
	{Var: "load.on.delay", Path: "UPS.PowerSummary.DelayBeforeStartup", Format: defaultOnDelay, HID: HIDCommand},
	{Var: "shutdown.stop", Path: "UPS.PowerSummary.DelayBeforeShutdown", Format: "-1", HID: HIDCommand},
	{Var: "shutdown.reboot", Path: "UPS.PowerSummary.DelayBeforeReboot", Format: "10", HID: HIDCommand},
	{Var: "load.off.delay", Path: "UPS.Output.DelayBeforeShutdown", Format: defaultOffDelay, HID: HIDCommand},
	{Var: "load.on.delay", Path: "UPS.Output.DelayBeforeStartup", Format: defaultOnDelay, HID: HIDCommand},
	{Var: "shutdown.stop", Path: "UPS.Output.DelayBeforeShutdown", Format: "-1", HID: HIDCommand},
	{Var: "shutdown.reboot", Path: "UPS.Output.DelayBeforeReboot", Format: "10", HID: HIDCommand},
	{Var: "load.off.delay", Path: "UPS.APCGeneralCollection.APCDelayBeforeShutdown", Format: defaultOffDelay, HID: HIDCommand},
	{Var: "load.on.delay", Path: "UPS.APCGeneralCollection.APCDelayBeforeStartup", Format: defaultOnDelay, HID: HIDCommand},
	{Var: "shutdown.stop", Path: "UPS.APCGeneralCollection.APCDelayBeforeShutdown", Format: "-1", HID: HIDCommand},
	{Var: "shutdown.reboot", Path: "UPS.APCGeneralCollection.APCDelayBeforeReboot", Format: "10", HID: HIDCommand},
	{Var: "shutdown.return", Path: "UPS.Output.APCDelayBeforeReboot", Format: "1", HID: HIDCommand},
	{Var: "beeper.on", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "2", HID: HIDCommand},
	{Var: "beeper.off", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "3", HID: HIDCommand},
	{Var: "beeper.enable", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "2", HID: HIDCommand},
	{Var: "beeper.disable", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "1", HID: HIDCommand},
	{Var: "beeper.mute", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "3", HID: HIDCommand},
}

// APC's own lookups (apc-hid.c).
var (
	// apcDateConversion reads APC's dates, decimal digits in hex
	// nibbles: 0x102202 is 2002/10/22, years from 70 in the 1900s.
	apcDateConversion = &Lookup{Name: "apc_date_conversion", ToNUT: apcDateToNUT, ToHID: apcDateToHID}
	// apcStatusFlagInfo: the Back-UPS LS 500's status, 8 or 16 on.
	apcStatusFlagInfo = &Lookup{Name: "apcstatusflag_info", Pairs: []Pair{{8, "!off"}, {16, "!off"}, {0, "off"}}}
	// the cause of the last transfer to battery (as apcupsd reads it)
	apcLineFailCauseVRangeInfo = &Lookup{Name: "apc_linefailcause_vrange_info", Pairs: []Pair{{1, "vrange"}, {2, "vrange"}, {4, "vrange"}, {8, "vrange"}, {9, "vrange"}, {0, "!vrange"}}}
	apcLineFailCauseFRangeInfo = &Lookup{Name: "apc_linefailcause_frange_info", Pairs: []Pair{{7, "frange"}, {0, "!frange"}}}
	apcSensitivityInfo         = &Lookup{Name: "apc_sensitivity_info", Pairs: []Pair{{0, "low"}, {1, "medium"}, {2, "high"}}}
)

func apcDateToNUT(_ Context, v float64) (string, bool) {
	n := int64(v)
	if n == 0 {
		return "not set", true
	}
	digits := func(shift uint) int64 { return n>>shift&0xf + 10*(n>>(shift+4)&0xf) }
	year, month, day := digits(0), digits(16), digits(8)
	if year >= 70 {
		year += 1900
	} else {
		year += 2000
	}
	return fmt.Sprintf("%04d/%02d/%02d", year, month, day), true
}

// apcDateToHID writes a date as apcDateToNUT reads it; one APC cannot
// store (from 2070) is 0, as NUT writes it.
func apcDateToHID(_ Context, s string) (float64, bool) {
	var y, m, d int64
	if n, err := fmt.Sscanf(s, "%4d/%2d/%2d", &y, &m, &d); n != 3 || err != nil {
		return 0, false
	}
	if y >= 2070 || m > 12 || d > 31 {
		return 0, true
	}
	y %= 100
	digits := func(v int64, shift uint) int64 { return (v/10&0xf)<<(shift+4) + v%10<<shift }
	return float64(digits(y, 0) + digits(m, 16) + digits(d, 8)), true
}

// labelsAPC: APC's product string holds the firmware versions ("Back-UPS
// XS 1400U FW:926.T1 .I USB FW:T1"): the model is what comes before
// "FW:" (less the space before it), ups.firmware what follows, and
// ups.firmware.aux the USB firmware after "USB FW:". NUT keeps the first
// 63 bytes of the product string.
func labelsAPC(s *Subdriver, c Context) Labels {
	l := labelsDefault(s, c)
	model := c.State().Device().Product
	if model == "" {
		model = "unknown"
	}
	model = model[:min(len(model), 63)]
	if i := strings.Index(model, "FW:"); i >= 0 {
		fw := model[i+len("FW:"):]
		if i > 0 {
			model = model[:i-1]
		}
		l.Vars = map[string]string{}
		if j := strings.Index(fw, "USB FW:"); j >= 0 {
			l.Vars["ups.firmware.aux"] = fw[j+len("USB FW:"):]
			if j > 0 {
				fw = fw[:j-1]
			}
		}
		l.Vars["ups.firmware"] = fw
	}
	l.Model = model
	return l
}
