package subdriver

import (
	"math"
	"strconv"
	"strings"

	"gonut/state"
)

// belkinInfo is belkin-hid.c's table (NUT 2.8.0's belkin_hid2nut), row
// for row: Belkin's own usages, and the standard ones of Liebert's units.
var belkinInfo = []Info{
	{Var: "battery.charge", Path: "UPS.BELKINBatterySystem.BELKINCharge", Format: "%.0f"},
	{Var: "battery.charge.low", Path: "UPS.PowerSummary.RemainingCapacityLimit", Format: "%.0f"},
	{Var: "battery.charge.warning", Path: "UPS.PowerSummary.WarningCapacityLimit", Format: "%.0f"},
	{Var: "battery.runtime", Path: "UPS.PowerSummary.RunTimeToEmpty", Format: "%.0f"},
	{Var: "battery.type", Path: "UPS.PowerSummary.iDeviceChemistry", Format: "%s", Lookup: StringIDConversion},
	{Var: "battery.voltage", Path: "UPS.BELKINBatterySystem.BELKINVoltage", Format: "%s", Lookup: DivideBy10Conversion},
	{Var: "battery.voltage.nominal", Path: "UPS.BELKINConfig.BELKINConfigBatteryVoltage", Format: "%.0f"},
	{Var: "input.frequency", Path: "UPS.BELKINPowerState.BELKINInput.BELKINFrequency", Format: "%s", Lookup: DivideBy10Conversion},
	{Var: "input.frequency.nominal", Path: "UPS.BELKINConfig.BELKINConfigFrequency", Format: "%.0f"},
	{Var: "input.sensitivity", Flags: state.RW | state.String, Len: 10, Path: "UPS.BELKINDevice.BELKINVoltageSensitivity", Format: "%s", Lookup: belkinSensitivityConversion},
	{Var: "input.transfer.high", Flags: state.RW | state.String, Len: 10, Path: "UPS.BELKINConfig.BELKINHighVoltageTransfer", Format: "%.0f"},
	{Var: "input.transfer.high.max", Path: "UPS.BELKINConfig.BELKINHighVoltageTransferMax", Format: "%.0f"},
	{Var: "input.transfer.high.min", Path: "UPS.BELKINConfig.BELKINHighVoltageTransferMin", Format: "%.0f"},
	{Var: "input.transfer.low", Flags: state.RW | state.String, Len: 10, Path: "UPS.BELKINConfig.BELKINLowVoltageTransfer", Format: "%.0f"},
	{Var: "input.transfer.low.max", Path: "UPS.BELKINConfig.BELKINLowVoltageTransferMax", Format: "%.0f"},
	{Var: "input.transfer.low.min", Path: "UPS.BELKINConfig.BELKINLowVoltageTransferMin", Format: "%.0f"},
	{Var: "input.voltage", Path: "UPS.BELKINPowerState.BELKINInput.BELKINVoltage", Format: "%s", Lookup: DivideBy10Conversion},
	{Var: "input.voltage.nominal", Path: "UPS.BELKINConfig.BELKINConfigVoltage", Format: "%.0f"},
	{Var: "output.frequency", Path: "UPS.BELKINPowerState.BELKINOutput.BELKINFrequency", Format: "%s", Lookup: DivideBy10Conversion},
	{Var: "output.voltage", Path: "UPS.BELKINPowerState.BELKINOutput.BELKINVoltage", Format: "%s", Lookup: DivideBy10Conversion},
	{Var: "ups.beeper.status", Path: "UPS.BELKINControls.BELKINAudibleAlarmControl", Format: "%s", Lookup: BeeperInfo},
	{Var: "ups.delay.start", Flags: state.RW | state.String, Len: 10, Path: "UPS.BELKINControls.BELKINDelayBeforeStartup", Format: defaultOnDelay, HID: HIDAbsent},
	{Var: "ups.delay.shutdown", Flags: state.RW | state.String, Len: 10, Path: "UPS.BELKINControls.BELKINDelayBeforeShutdown", Format: defaultOffDelay, HID: HIDAbsent},
	{Var: "ups.timer.start", Path: "UPS.BELKINControls.BELKINDelayBeforeStartup", Format: "%.0f", HID: HIDQuickPoll},
	{Var: "ups.timer.shutdown", Path: "UPS.BELKINControls.BELKINDelayBeforeShutdown", Format: "%.0f", HID: HIDQuickPoll},
	{Var: "ups.timer.reboot", Path: "UPS.BELKINControls.BELKINDelayBeforeReboot", Format: "%.0f", HID: HIDQuickPoll},
	{Var: "ups.firmware", Path: "UPS.BELKINDevice.BELKINUPSType", Format: "%s", Lookup: belkinFirmwareConversion},
	{Var: "ups.load", Path: "UPS.BELKINPowerState.BELKINOutput.BELKINPercentLoad", Format: "%.0f"},
	{Var: "ups.load.high", Path: "UPS.BELKINConfig.BELKINConfigOverloadTransfer", Format: "%.0f"},
	{Var: "ups.mfr.date", Path: "UPS.PowerSummary.ManufacturerDate", Format: "%s", Lookup: DateConversion},
	{Var: "ups.power.nominal", Path: "UPS.BELKINConfig.BELKINConfigApparentPower", Format: "%.0f"},
	{Var: "ups.serial", Path: "UPS.PowerSummary.iSerialNumber", Format: "%s", Lookup: StringIDConversion},
	{Var: "ups.test.result", Path: "UPS.BELKINControls.BELKINTest", Format: "%s", Lookup: belkinTestInfo},
	{Var: "ups.type", Path: "UPS.BELKINDevice.BELKINUPSType", Format: "%s", Lookup: belkinUPSTypeConversion},
	{Var: "battery.charge", Path: "UPS.PowerSummary.RemainingCapacity", Format: "%.0f", HID: HIDQuickPoll},
	{Var: "input.frequency", Path: "UPS.Input.Frequency", Format: "%s", Lookup: DivideBy10Conversion},
	{Var: "input.voltage", Path: "UPS.Input.Voltage", Format: "%s", Lookup: liebertLineVoltageInfo},
	{Var: "output.voltage", Path: "UPS.Output.Voltage", Format: "%s", Lookup: liebertLineVoltageInfo},
	{Var: "battery.voltage", Path: "UPS.PowerSummary.Voltage", Format: "%s", Lookup: liebertLineVoltageInfo},
	{Var: "battery.voltage.nominal", Path: "UPS.PowerSummary.ConfigVoltage", Format: "%s", HID: HIDStatic, Lookup: liebertConfigVoltageInfo},
	{Var: "ups.load", Path: "UPS.Output.PercentLoad", Format: "%.0f"},
	{Var: "BOOL", Path: "UPS.PowerSummary.Discharging", HID: HIDQuickPoll, Lookup: liebertDischargingInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.Charging", HID: HIDQuickPoll, Lookup: liebertChargingInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.ShutdownImminent", Lookup: liebertShutdownImmInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.ACPresent", HID: HIDQuickPoll, Lookup: liebertOnlineInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.Discharging", HID: HIDQuickPoll, Lookup: liebertDischargingInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.Charging", HID: HIDQuickPoll, Lookup: liebertChargingInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.ShutdownImminent", Lookup: liebertShutdownImmInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.ACPresent", HID: HIDQuickPoll, Lookup: liebertOnlineInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.NeedReplacement", HID: HIDQuickPoll, Lookup: liebertReplaceBattInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.BelowRemainingCapacityLimit", HID: HIDQuickPoll, Lookup: liebertLowBattInfo},
	{Var: "BOOL", Path: "UPS.BELKINStatus.BELKINPowerStatus", Lookup: belkinOverloadConversion},
	{Var: "BOOL", Path: "UPS.BELKINStatus.BELKINPowerStatus", Lookup: belkinOverheatConversion},
	{Var: "BOOL", Path: "UPS.BELKINStatus.BELKINPowerStatus", Lookup: belkinCommFaultConversion},
	{Var: "BOOL", Path: "UPS.BELKINStatus.BELKINPowerStatus", Lookup: belkinAwaitingPowerConversion},
	{Var: "BOOL", Path: "UPS.BELKINStatus.BELKINPowerStatus", HID: HIDQuickPoll, Lookup: belkinOnlineConversion},
	{Var: "BOOL", Path: "UPS.BELKINStatus.BELKINBatteryStatus", HID: HIDQuickPoll, Lookup: belkinDepletedConversion},
	{Var: "BOOL", Path: "UPS.BELKINStatus.BELKINBatteryStatus", Lookup: belkinReplaceBattConversion},
	{Var: "BOOL", Path: "UPS.BELKINStatus.BELKINBatteryStatus", HID: HIDQuickPoll, Lookup: belkinLowBattConversion},
	{Var: "test.battery.start.quick", Path: "UPS.BELKINControls.BELKINTest", Format: "1", HID: HIDCommand},
	{Var: "test.battery.start.deep", Path: "UPS.BELKINControls.BELKINTest", Format: "2", HID: HIDCommand},
	{Var: "test.battery.stop", Path: "UPS.BELKINControls.BELKINTest", Format: "3", HID: HIDCommand},
	{Var: "beeper.on", Path: "UPS.BELKINControls.BELKINAudibleAlarmControl", Format: "2", HID: HIDCommand},
	{Var: "beeper.off", Path: "UPS.BELKINControls.BELKINAudibleAlarmControl", Format: "3", HID: HIDCommand},
	{Var: "beeper.disable", Path: "UPS.BELKINControls.BELKINAudibleAlarmControl", Format: "1", HID: HIDCommand},
	{Var: "beeper.enable", Path: "UPS.BELKINControls.BELKINAudibleAlarmControl", Format: "2", HID: HIDCommand},
	{Var: "beeper.mute", Path: "UPS.BELKINControls.BELKINAudibleAlarmControl", Format: "3", HID: HIDCommand},
	{Var: "load.off", Path: "UPS.BELKINControls.BELKINDelayBeforeShutdown", Format: "1", HID: HIDCommand},
	{Var: "load.on", Path: "UPS.BELKINControls.BELKINDelayBeforeStartup", Format: "1", HID: HIDCommand},
	{Var: "load.off.delay", Path: "UPS.BELKINControls.BELKINDelayBeforeShutdown", Format: defaultOffDelay, HID: HIDCommand},
	{Var: "load.on.delay", Path: "UPS.BELKINControls.BELKINDelayBeforeStartup", Format: defaultOnDelay, HID: HIDCommand},
	{Var: "shutdown.stop", Path: "UPS.BELKINControls.BELKINDelayBeforeShutdown", Format: "-1", HID: HIDCommand},
	{Var: "shutdown.reboot", Path: "UPS.BELKINControls.BELKINDelayBeforeReboot", Format: "10", HID: HIDCommand},
}

// Belkin's conversions (belkin-hid.c).
var (
	// belkinFirmwareConversion: the firmware version is the high nibble
	// of the UPS type.
	belkinFirmwareConversion = &Lookup{Name: "belkin_firmware_conversion", ToNUT: func(_ Context, v float64) (string, bool) {
		return strconv.FormatInt(int64(v)>>4, 10), true
	}}
	belkinUPSTypeConversion = &Lookup{Name: "belkin_upstype_conversion", ToNUT: func(_ Context, v float64) (string, bool) {
		if s, ok := map[int64]string{1: "offline", 2: "line-interactive", 3: "simple online", 4: "simple offline",
			5: "simple line-interactive"}[int64(v)&0x0f]; ok {
			return s, true
		}
		return "online", true
	}}
	belkinSensitivityConversion = &Lookup{Name: "belkin_sensitivity_conversion", ToNUT: func(_ Context, v float64) (string, bool) {
		switch int64(v) {
		case 1:
			return "reduced", true
		case 2:
			return "low", true
		}
		return "normal", true
	}}
	belkinTestInfo = &Lookup{Name: "belkin_test_info", Pairs: []Pair{{0, "No test initiated"}, {1, "Done and passed"},
		{2, "Done and warning"}, {3, "Done and error"}, {4, "Aborted"}, {5, "In progress"}}}

	// The status bits of BELKINPowerStatus and BELKINBatteryStatus.
	belkinOverloadConversion      = belkinBit("belkin_overload_conversion", 0x0010, "overload")
	belkinOverheatConversion      = belkinBit("belkin_overheat_conversion", 0x0040, "overheat")
	belkinCommFaultConversion     = belkinBit("belkin_commfault_conversion", 0x0080, "commfault")
	belkinAwaitingPowerConversion = belkinBit("belkin_awaitingpower_conversion", 0x2000, "awaitingpower")
	belkinOnlineConversion        = &Lookup{Name: "belkin_online_conversion", ToNUT: func(_ Context, v float64) (string, bool) {
		if int64(v)&0x0001 != 0 { // AC failure
			return "!online", true
		}
		return "online", true
	}}
	belkinLowBattConversion     = belkinBit("belkin_lowbatt_conversion", 0x0004, "lowbatt")
	belkinDepletedConversion    = belkinBit("belkin_depleted_conversion", 0x0040, "depleted")
	belkinReplaceBattConversion = belkinBit("belkin_replacebatt_conversion", 0x0080, "replacebatt")

	// Liebert's units report some values scaled by 1e-7 (a broken
	// exponent): their status flags are set by any value but 0.
	liebertOnlineInfo      = nonZeroFlag("liebert_online_info", "online")
	liebertDischargingInfo = nonZeroFlag("liebert_discharging_info", "dischrg")
	liebertChargingInfo    = nonZeroFlag("liebert_charging_info", "chrg")
	liebertLowBattInfo     = nonZeroFlag("liebert_lowbatt_info", "lowbatt")
	liebertReplaceBattInfo = nonZeroFlag("liebert_replacebatt_info", "replacebatt")
	liebertShutdownImmInfo = nonZeroFlag("liebert_shutdownimm_info", "shutdownimm")
	// liebertConfigVoltageInfo and liebertLineVoltageInfo: a voltage that
	// reads 1e-7 gives away the broken exponent, and the multipliers
	// that correct it from then on (the nominal battery voltage's, and
	// the line voltages').
	liebertConfigVoltageInfo = &Lookup{Name: "liebert_config_voltage_info", ToNUT: func(c Context, v float64) (string, bool) {
		st := c.State()
		if v < 1 && math.Abs(v-1e-7) < 1e-9 {
			st.liebertConfigMult, st.liebertLineMult = 1e8, 1e7
		}
		return strconv.FormatFloat(v*st.liebertConfigMult, 'f', 1, 64), true
	}}
	liebertLineVoltageInfo = &Lookup{Name: "liebert_line_voltage_info", ToNUT: func(c Context, v float64) (string, bool) {
		st := c.State()
		if v < 1 && math.Abs(v-1e-7) < 1e-9 {
			st.liebertLineMult = 1e7
		}
		return strconv.FormatFloat(v*st.liebertLineMult, 'f', 1, 64), true
	}}
)

// belkinBit is the lookup of a status flag set by a bit of the value.
func belkinBit(name string, bit int64, flag string) *Lookup {
	return flagIf(name, flag, func(v float64) bool { return int64(v)&bit != 0 })
}

// nonZeroFlag is the lookup of a status flag set by any value but 0.
func nonZeroFlag(name, flag string) *Lookup {
	return flagIf(name, flag, func(v float64) bool { return v != 0 })
}

// labelsBelkin: "unknown" for a device without a product string; the
// vendor string without its leading spaces, or "Belkin"; the serial
// number from UPS.PowerSummary.iSerialNumber when the device has no USB
// one.
func labelsBelkin(_ *Subdriver, c Context) Labels {
	dev := c.State().Device()
	l := Labels{Mfr: strings.TrimLeft(dev.Vendor, " "), Model: dev.Product, Serial: dev.Serial}
	if l.Model == "" {
		l.Model = "unknown"
	}
	if l.Mfr == "" {
		l.Mfr = "Belkin"
	}
	if l.Serial == "" {
		l.Serial = indexedString(c, "UPS.PowerSummary.iSerialNumber")
	}
	return l
}
