package subdriver

import (
	"strconv"

	"gonut/state"
)

// CyberPower is cps-hid.c: CyberPower units (0764:0005, 0501, 0601) and
// their OEM versions (PowerWalker's).
var CyberPower = &Subdriver{Name: "CyberPower HID 0.6", ID: "cps", Maker: "CyberPower", mfr: "CPS",
	Info: cpsInfo, Fix: FixCyberPower}

// cpsInfo is cps-hid.c's table (NUT 2.8.0's cps_hid2nut), row for row.
var cpsInfo = []Info{
	{Var: "battery.type", Path: "UPS.PowerSummary.iDeviceChemistry", Format: "%s", Lookup: StringIDConversion},
	{Var: "battery.mfr.date", Path: "UPS.PowerSummary.iOEMInformation", Format: "%s", Lookup: StringIDConversion},
	{Var: "battery.charge.warning", Path: "UPS.PowerSummary.WarningCapacityLimit", Format: "%.0f"},
	{Var: "battery.charge.low", Flags: state.RW | state.String, Len: 10, Path: "UPS.PowerSummary.RemainingCapacityLimit", Format: "%.0f", HID: HIDSemiStatic},
	{Var: "battery.charge", Path: "UPS.PowerSummary.RemainingCapacity", Format: "%s", Lookup: cpsBattCharge},
	{Var: "battery.runtime", Path: "UPS.PowerSummary.RunTimeToEmpty", Format: "%.0f"},
	{Var: "battery.runtime.low", Flags: state.RW | state.String, Len: 10, Path: "UPS.PowerSummary.RemainingTimeLimit", Format: "%.0f", HID: HIDSemiStatic},
	{Var: "battery.voltage.nominal", Path: "UPS.PowerSummary.ConfigVoltage", Format: "%.0f"},
	{Var: "battery.voltage", Path: "UPS.PowerSummary.Voltage", Format: "%s", Lookup: cpsBattVolt},
	{Var: "ups.load", Path: "UPS.Output.PercentLoad", Format: "%.0f"},
	{Var: "ups.beeper.status", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "%s", Lookup: BeeperInfo},
	{Var: "ups.test.result", Path: "UPS.Output.Test", Format: "%s", Lookup: TestReadInfo},
	{Var: "ups.realpower.nominal", Path: "UPS.Output.ConfigActivePower", Format: "%.0f"},
	{Var: "ups.delay.start", Flags: state.RW | state.String, Len: 10, Path: "UPS.Output.DelayBeforeStartup", Format: defaultOnDelay, HID: HIDAbsent},
	{Var: "ups.delay.shutdown", Flags: state.RW | state.String, Len: 10, Path: "UPS.Output.DelayBeforeShutdown", Format: defaultOffDelay, HID: HIDAbsent},
	{Var: "ups.timer.start", Path: "UPS.Output.DelayBeforeStartup", Format: "%.0f", HID: HIDQuickPoll},
	{Var: "ups.timer.shutdown", Path: "UPS.Output.DelayBeforeShutdown", Format: "%.0f", HID: HIDQuickPoll},
	{Var: "ups.timer.reboot", Path: "UPS.Output.DelayBeforeReboot", Format: "%.0f", HID: HIDQuickPoll},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.ACPresent", HID: HIDQuickPoll, Lookup: OnlineInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.Charging", HID: HIDQuickPoll, Lookup: ChargingInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.Discharging", HID: HIDQuickPoll, Lookup: DischargingInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.BelowRemainingCapacityLimit", HID: HIDQuickPoll, Lookup: LowBattInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.FullyCharged", Lookup: FullyChargedInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.RemainingTimeLimitExpired", Lookup: TimeLimitExpiredInfo},
	{Var: "BOOL", Path: "UPS.Output.Boost", Lookup: BoostInfo},
	{Var: "BOOL", Path: "UPS.Output.Overload", Lookup: OverloadInfo},
	{Var: "input.frequency", Path: "UPS.Input.Frequency", Format: "%.1f"},
	{Var: "input.voltage.nominal", Path: "UPS.Input.ConfigVoltage", Format: "%.0f"},
	{Var: "input.voltage", Path: "UPS.Input.Voltage", Format: "%.1f"},
	{Var: "input.transfer.low", Flags: state.RW | state.String, Len: 10, Path: "UPS.Input.LowVoltageTransfer", Format: "%.0f", HID: HIDSemiStatic},
	{Var: "input.transfer.high", Flags: state.RW | state.String, Len: 10, Path: "UPS.Input.HighVoltageTransfer", Format: "%.0f", HID: HIDSemiStatic},
	{Var: "output.frequency", Path: "UPS.Output.Frequency", Format: "%.1f"},
	{Var: "output.voltage", Path: "UPS.Output.Voltage", Format: "%.1f"},
	{Var: "output.voltage.nominal", Path: "UPS.Output.ConfigVoltage", Format: "%.0f"},
	{Var: "test.battery.start.quick", Path: "UPS.Output.Test", Format: "1", HID: HIDCommand},
	{Var: "test.battery.start.deep", Path: "UPS.Output.Test", Format: "2", HID: HIDCommand},
	{Var: "test.battery.stop", Path: "UPS.Output.Test", Format: "3", HID: HIDCommand},
	{Var: "load.off.delay", Path: "UPS.Output.DelayBeforeShutdown", Format: defaultOffDelay, HID: HIDCommand},
	{Var: "load.on.delay", Path: "UPS.Output.DelayBeforeStartup", Format: defaultOnDelay, HID: HIDCommand},
	{Var: "shutdown.stop", Path: "UPS.Output.DelayBeforeShutdown", Format: "-1", HID: HIDCommand},
	{Var: "shutdown.reboot", Path: "UPS.Output.DelayBeforeReboot", Format: "10", HID: HIDCommand},
	{Var: "beeper.on", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "2", HID: HIDCommand},
	{Var: "beeper.off", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "3", HID: HIDCommand},
	{Var: "beeper.enable", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "2", HID: HIDCommand},
	{Var: "beeper.disable", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "1", HID: HIDCommand},
	{Var: "beeper.mute", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "3", HID: HIDCommand},
}

// CyberPower's conversions (cps-hid.c).
var (
	// cpsBattCharge clamps the charge to 100%, which some units exceed.
	cpsBattCharge = &Lookup{Name: "cps_battcharge", ToNUT: func(_ Context, v float64) (string, bool) {
		return strconv.FormatFloat(min(v, 100), 'f', 0, 64), true
	}}
	// cpsBattVolt scales the battery voltage of the units whose reading
	// is 1.5 times too high (cps_battvolt).
	cpsBattVolt = &Lookup{Name: "cps_battvolt", ToNUT: func(c Context, v float64) (string, bool) {
		return strconv.FormatFloat(cpsBatteryScale(c, v)*v, 'f', 1, 64), true
	}}
)

// cpsBatteryScale is the factor of a battery voltage reading v. Units
// claimed as 0764:0501 may read 1.5 times too high: the first reading
// made once battery.voltage.nominal is known (and not 0) decides, for
// good, and a reading more than 1.4 times the nominal voltage makes the
// factor 2/3. Other units read true.
func cpsBatteryScale(c Context, v float64) float64 {
	st := c.State()
	if st.dev.VendorID != 0x0764 || st.dev.ProductID != 0x0501 {
		return 1
	}
	if st.cpsBatteryScale == 0 {
		s, ok := c.Var("battery.voltage.nominal")
		if !ok {
			return 1
		}
		nominal, _ := strconv.ParseFloat(s, 64) // NUT's strtod: what does not read is 0
		if nominal == 0 {
			return 1
		}
		st.cpsBatteryScale = 1
		if v/nominal > 1.4 {
			st.cpsBatteryScale = 2.0 / 3
		}
	}
	return st.cpsBatteryScale
}
