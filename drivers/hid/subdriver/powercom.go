package subdriver

import (
	"strconv"

	"gonut/state"
)

// powercomInfo is powercom-hid.c's table (NUT 2.8.0's powercom_hid2nut),
// row for row.
var powercomInfo = []Info{
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.ACPresent", Lookup: OnlineInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.BatteryPresent", Lookup: NoBatteryInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.BelowRemainingCapacityLimit", Lookup: LowBattInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.Charging", Lookup: ChargingInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.CommunicationLost", Lookup: CommFaultInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.Discharging", Lookup: DischargingInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.NeedReplacement", Lookup: ReplaceBattInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.Overload", Lookup: OverloadInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.RemainingTimeLimitExpired", Lookup: TimeLimitExpiredInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.ShutdownImminent", Lookup: ShutdownImmInfo},
	{Var: "BOOL", Path: "UPS.PresentStatus.ACPresent", Lookup: OnlineInfo},
	{Var: "BOOL", Path: "UPS.PresentStatus.BatteryPresent", Lookup: NoBatteryInfo},
	{Var: "BOOL", Path: "UPS.PresentStatus.BelowRemainingCapacityLimit", Lookup: LowBattInfo},
	{Var: "BOOL", Path: "UPS.PresentStatus.Boost", Lookup: BoostInfo},
	{Var: "BOOL", Path: "UPS.PresentStatus.Buck", Lookup: TrimInfo},
	{Var: "BOOL", Path: "UPS.PresentStatus.Charging", Lookup: ChargingInfo},
	{Var: "BOOL", Path: "UPS.PresentStatus.CommunicationLost", Lookup: CommFaultInfo},
	{Var: "BOOL", Path: "UPS.PresentStatus.Discharging", Lookup: DischargingInfo},
	{Var: "BOOL", Path: "UPS.PresentStatus.NeedReplacement", Lookup: ReplaceBattInfo},
	{Var: "BOOL", Path: "UPS.PresentStatus.Overload", Lookup: OverloadInfo},
	{Var: "BOOL", Path: "UPS.PresentStatus.RemainingTimeLimitExpired", Lookup: TimeLimitExpiredInfo},
	{Var: "BOOL", Path: "UPS.PresentStatus.ShutdownImminent", Lookup: ShutdownImmInfo},
	{Var: "battery.charge", Path: "UPS.PowerSummary.RemainingCapacity", Format: "%.0f"},
	{Var: "battery.charge", Path: "UPS.Battery.RemainingCapacity", Format: "%.0f"},
	{Var: "battery.charge.low", Path: "UPS.PowerSummary.RemainingCapacityLimit", Format: "%.0f"},
	{Var: "battery.charge.warning", Path: "UPS.PowerSummary.WarningCapacityLimit", Format: "%.0f"},
	{Var: "battery.runtime", Path: "UPS.PowerSummary.RunTimeToEmpty", Format: "%.0f"},
	{Var: "battery.date", Path: "UPS.Battery.ManufacturerDate", Format: "%s", HID: HIDStatic, Lookup: DateConversion},
	{Var: "battery.type", Path: "UPS.PowerSummary.iDeviceChemistry", Format: "%s", HID: HIDStatic, Lookup: StringIDConversion},
	{Var: "ups.beeper.status", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "%s", Lookup: powercomBeeperInfo},
	{Var: "ups.beeper.status", Path: "UPS.AudibleAlarmControl", Format: "%s", Lookup: powercomBeeperInfo},
	{Var: "ups.load", Path: "UPS.Output.PercentLoad", Format: "%.0f"},
	{Var: "ups.date", Path: "UPS.PowerSummary.ManufacturerDate", Format: "%s", HID: HIDStatic, Lookup: DateConversion},
	{Var: "ups.test.result", Path: "UPS.Battery.Test", Format: "%s", Lookup: TestReadInfo},
	{Var: "ups.delay.start", Flags: state.RW | state.String, Len: 8, Path: "UPS.PowerSummary.DelayBeforeStartup", Format: "60", HID: HIDAbsent},
	{Var: "ups.timer.start", Path: "UPS.PowerSummary.DelayBeforeStartup", Format: "%.0f", Lookup: powercomStartupInfo},
	{Var: "ups.delay.shutdown", Flags: state.RW | state.String, Len: 8, Path: "UPS.PowerSummary.DelayBeforeShutdown", Format: defaultOffDelay, HID: HIDAbsent},
	{Var: "ups.timer.shutdown", Path: "UPS.PowerSummary.DelayBeforeShutdown", Format: "%.0f", HID: HIDQuickPoll, Lookup: powercomShutdownInfo},
	{Var: "ups.delay.shutdown", Flags: state.RW | state.String, Len: 8, Path: "UPS.PowerSummary.PCMDelayBeforeShutdown", Format: defaultOffDelay, HID: HIDAbsent},
	{Var: "ups.timer.shutdown", Path: "UPS.PowerSummary.PCMDelayBeforeShutdown", Format: "%.0f", HID: HIDQuickPoll, Lookup: powercomShutdownInfo},
	{Var: "input.voltage", Path: "UPS.Input.Voltage", Format: "%.1f"},
	{Var: "input.voltage.nominal", Path: "UPS.Input.ConfigVoltage", Format: "%.0f", HID: HIDStatic},
	{Var: "input.frequency", Path: "UPS.Input.Frequency", Format: "%.1f"},
	{Var: "output.voltage", Path: "UPS.Output.Voltage", Format: "%.1f"},
	{Var: "output.voltage.nominal", Path: "UPS.Output.ConfigVoltage", Format: "%.0f", HID: HIDStatic},
	{Var: "output.frequency", Path: "UPS.Output.Frequency", Format: "%.1f"},
	{Var: "beeper.toggle", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "1", HID: HIDCommand},
	{Var: "beeper.enable", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "1", HID: HIDCommand},
	{Var: "beeper.disable", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "0", HID: HIDCommand},
	{Var: "test.battery.start.quick", Path: "UPS.Battery.Test", Format: "1", HID: HIDCommand},
	{Var: "load.on.delay", Path: "UPS.PowerSummary.DelayBeforeStartup", HID: HIDCommand, Lookup: powercomStartupInfo},
	{Var: "shutdown.return", Path: "UPS.PowerSummary.DelayBeforeShutdown", HID: HIDCommand, Lookup: powercomShutdownInfo},
	{Var: "shutdown.stayoff", Path: "UPS.PowerSummary.DelayBeforeShutdown", HID: HIDCommand, Lookup: powercomStayOffInfo},
	{Var: "load.on", Path: "UPS.PowerSummary.PCMDelayBeforeStartup", Format: "0", HID: HIDCommand, Lookup: powercomStartupInfo},
	{Var: "load.off", Path: "UPS.PowerSummary.PCMDelayBeforeShutdown", Format: "0", HID: HIDCommand, Lookup: powercomStayOffInfo},
	{Var: "shutdown.return", Path: "UPS.PowerSummary.PCMDelayBeforeShutdown", HID: HIDCommand, Lookup: powercomShutdownInfo},
	{Var: "shutdown.stayoff", Path: "UPS.PowerSummary.PCMDelayBeforeShutdown", HID: HIDCommand, Lookup: powercomStayOffInfo},
	{Var: "ups.serial", Path: "PowercomUPS.PowercomSerialNumber", Format: "%s", Lookup: StringIDConversion},
	{Var: "ups.mfr", Path: "PowercomUPS.PowercomManufacturerName", Format: "%s", Lookup: StringIDConversion},
	{Var: "ups.mfr.date", Path: "PowercomUPS.PowercomManufacturerDate", Format: "%s", Lookup: DateConversion},
	{Var: "battery.temperature", Path: "PowercomUPS.PowercomBatterySystem.PowercomTemperature", Format: "%.0f"},
	{Var: "battery.temperature", Path: "UPS.Battery.Temperature", Format: "%.1f"},
	{Var: "battery.charge", Path: "PowercomUPS.PowercomBatterySystem.PowercomVoltage", Format: "%.0f"},
	{Var: "input.frequency", Path: "PowercomUPS.PowercomPowerConverter.PowercomInput.PowercomFrequency", Format: "%.0f"},
	{Var: "input.voltage", Path: "PowercomUPS.PowercomPowerConverter.PowercomInput.PowercomVoltage", Format: "%.0f", Lookup: powercomVoltageConversion},
	{Var: "output.voltage", Path: "PowercomUPS.PowercomPowerConverter.PowercomOutput.PowercomVoltage", Format: "%.0f", Lookup: powercomVoltageConversion},
	{Var: "ups.load", Path: "PowercomUPS.PowercomPowerConverter.PowercomOutput.PowercomPercentLoad", Format: "%.0f"},
	{Var: "BOOL", Path: "PowercomUPS.PowercomPowerConverter.PowercomOutput.PowercomInternalChargeController", HID: HIDQuickPoll, Lookup: powercomUPSFailConversion},
	{Var: "BOOL", Path: "PowercomUPS.PowercomPowerConverter.PowercomOutput.PowercomInternalChargeController", HID: HIDQuickPoll, Lookup: powercomReplaceBattConversion},
	{Var: "BOOL", Path: "PowercomUPS.PowercomPowerConverter.PowercomOutput.PowercomInternalChargeController", HID: HIDQuickPoll, Lookup: powercomTestConversion},
	{Var: "BOOL", Path: "PowercomUPS.PowercomPowerConverter.PowercomOutput.PowercomInternalChargeController", HID: HIDQuickPoll, Lookup: powercomShutdownImmConversion},
	{Var: "BOOL", Path: "PowercomUPS.PowercomPowerConverter.PowercomOutput.PowercomPrimaryBatterySupport", HID: HIDQuickPoll, Lookup: powercomOnlineConversion},
	{Var: "BOOL", Path: "PowercomUPS.PowercomPowerConverter.PowercomOutput.PowercomPrimaryBatterySupport", HID: HIDQuickPoll, Lookup: powercomLowBattConversion},
	{Var: "BOOL", Path: "PowercomUPS.PowercomPowerConverter.PowercomOutput.PowercomPrimaryBatterySupport", HID: HIDQuickPoll, Lookup: powercomTrimConversion},
	{Var: "BOOL", Path: "PowercomUPS.PowercomPowerConverter.PowercomOutput.PowercomPrimaryBatterySupport", HID: HIDQuickPoll, Lookup: powercomBoostConversion},
	{Var: "BOOL", Path: "PowercomUPS.PowercomPowerConverter.PowercomOutput.PowercomPrimaryBatterySupport", HID: HIDQuickPoll, Lookup: powercomOverloadConversion},
	{Var: "output.frequency", Path: "PowercomUPS.PowercomPowerConverter.PowercomOutput.PowercomFrequency", Format: "%.0f"},
	{Var: "ups.test.result", Path: "PowercomUPS.PowercomPowerConverter.PowercomTest", Format: "%s", Lookup: TestReadInfo},
	{Var: "ups.delay.shutdown", Path: "PowercomUPS.PowercomPowerConverter.PowercomDelayBeforeShutdown", Format: "%.0f"},
	{Var: "ups.delay.start", Path: "PowercomUPS.PowercomPowerConverter.PowercomDelayBeforeStartup", Format: "%.0f"},
	{Var: "load.off", Path: "PowercomUPS.PowercomPowerConverter.PowercomDelayBeforeShutdown", Format: "0", HID: HIDCommand},
}

// PowerCOM's conversions (powercom-hid.c). Its delays are 16-bit words
// with their bytes in the order the firmware wants: the startup delay in
// minutes, byte-swapped; the shutdown delay as minutes in the low byte
// and seconds in the high one, with a flag for whether the load comes
// back with the line (0x4000) or stays off (0x8000). A command written
// without a value takes ups.delay.start or ups.delay.shutdown.
var (
	powercomStartupInfo = &Lookup{Name: "powercom_startup_info",
		ToNUT: func(_ Context, v float64) (string, bool) {
			i := uint16(int64(v))
			return strconv.Itoa(60 * (int(i&0xff)<<8 + int(i>>8))), true
		},
		ToHID: func(c Context, s string) (float64, bool) {
			if s == "" {
				s, _ = c.Var("ups.delay.start")
			}
			minutes := atoi(s) / 60
			if minutes < 0 || minutes > 0xffff {
				return 0, true
			}
			v := uint16(minutes)
			return float64(v<<8 | v>>8), true
		}}
	powercomShutdownInfo = &Lookup{Name: "powercom_shutdown_info",
		ToNUT: func(_ Context, v float64) (string, bool) {
			i := uint16(int64(v))
			return strconv.Itoa(60*int(i&0xff) + int(i>>8)), true
		},
		ToHID: func(c Context, s string) (float64, bool) { return powercomShutdown(c, s, 0x4000), true }}
	powercomStayOffInfo = &Lookup{Name: "powercom_stayoff_info",
		ToHID: func(c Context, s string) (float64, bool) { return powercomShutdown(c, s, 0x8000), true }}

	powercomBeeperInfo        = &Lookup{Name: "powercom_beeper_info", Pairs: []Pair{{1, "enabled"}, {2, "disabled"}}}
	powercomVoltageConversion = &Lookup{Name: "powercom_voltage_conversion", ToNUT: func(_ Context, v float64) (string, bool) {
		return strconv.FormatFloat(v*4, 'f', 0, 64), true
	}}

	// The status bits of PowercomUPS's registers.
	powercomUPSFailConversion     = belkinBit("powercom_upsfail_conversion", 0x0001, "fanfail")
	powercomReplaceBattConversion = belkinBit("powercom_replacebatt_conversion", 0x0002, "replacebatt")
	powercomTestConversion        = belkinBit("powercom_test_conversion", 0x0004, "cal")
	powercomShutdownImmConversion = belkinBit("powercom_shutdownimm_conversion", 0x0010, "shutdownimm")
	powercomLowBattConversion     = belkinBit("powercom_lowbatt_conversion", 0x0002, "lowbatt")
	powercomOverloadConversion    = belkinBit("powercom_overload_conversion", 0x0020, "overload")
	powercomOnlineConversion      = &Lookup{Name: "powercom_online_conversion", ToNUT: func(_ Context, v float64) (string, bool) {
		if int64(v)&0x0001 != 0 {
			return "!online", true
		}
		return "online", true
	}}
	powercomTrimConversion  = powercomBuckBoost("powercom_trim_conversion", 0x08, "trim")
	powercomBoostConversion = powercomBuckBoost("powercom_boost_conversion", 0x18, "boost")
)

// powercomShutdown is the shutdown word of a delay in seconds, the
// command's or ups.delay.shutdown (0 would be the longest delay: it is
// 1); 0 for a delay beyond 0..65535, as NUT writes.
func powercomShutdown(c Context, s string, flag uint16) float64 {
	if s == "" {
		s, _ = c.Var("ups.delay.shutdown")
	}
	seconds := atoi(s)
	if seconds < 0 || seconds > 0xffff {
		return 0
	}
	v := uint16(max(seconds, 1))
	return float64((v%60)<<8 + v/60 | flag)
}

// powercomBuckBoost: bits 3 and 4 of the status say buck (01) or boost (11).
func powercomBuckBoost(name string, bits int64, flag string) *Lookup {
	return flagIf(name, flag, func(v float64) bool { return int64(v)&0x18 == bits })
}
