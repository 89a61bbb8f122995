package subdriver

import "gonut/state"

// legrandInfo is legrand-hid.c's table (NUT 2.8.0's legrand_hid2nut), row
// for row.
var legrandInfo = []Info{
	{Var: "input.voltage", Path: "UPS.Input.Voltage", Format: "%.0f"},
	{Var: "input.voltage", Path: "UPS.PowerConverter.Input.Voltage", Format: "%.0f", Lookup: legrandTimes1M},
	{Var: "input.transfer.high", Path: "UPS.Input.HighVoltageTransfer", Format: "%.0f", HID: HIDStatic},
	{Var: "input.transfer.high", Path: "UPS.PowerConverter.Output.HighVoltageTransfer", Format: "%.0f", HID: HIDStatic, Lookup: legrandTimes10},
	{Var: "input.transfer.low", Path: "UPS.Input.LowVoltageTransfer", Format: "%.0f", HID: HIDStatic},
	{Var: "input.transfer.low", Path: "UPS.PowerConverter.Output.LowVoltageTransfer", Format: "%.0f", HID: HIDStatic},
	{Var: "input.voltage.nominal", Path: "UPS.Input.ConfigVoltage", Format: "%.0f", HID: HIDStatic},
	{Var: "input.voltage.nominal", Path: "UPS.Flow.ConfigVoltage", Format: "%.0f", HID: HIDStatic},
	{Var: "battery.voltage.nominal", Path: "UPS.PowerSummary.ConfigVoltage", Format: "%.0f", HID: HIDStatic, Lookup: DivideBy10Conversion},
	{Var: "battery.voltage.nominal", Path: "UPS.BatterySystem.Battery.ConfigVoltage", Format: "%.0f", HID: HIDStatic},
	{Var: "battery.voltage", Path: "UPS.PowerSummary.Voltage", Format: "%.0f", Lookup: DivideBy10Conversion},
	{Var: "battery.voltage", Path: "UPS.BatterySystem.Battery.Voltage", Format: "%.0f", Lookup: legrandTimes100k},
	{Var: "battery.charge", Path: "UPS.PowerSummary.RemainingCapacity", Format: "%.0f"},
	{Var: "battery.runtime", Path: "UPS.PowerSummary.RuntimeToEmpty", Format: "%.0f"},
	{Var: "battery.charge.warning", Path: "UPS.PowerSummary.WarningCapacityLimit", Format: "%.0f", HID: HIDStatic},
	{Var: "battery.charge.low", Path: "UPS.PowerSummary.RemainingCapacityLimit", Format: "%.0f", HID: HIDStatic},
	{Var: "output.voltage", Path: "UPS.Output.Voltage", Format: "%.0f"},
	{Var: "output.voltage", Path: "UPS.PowerConverter.Output.Voltage", Format: "%.0f", Lookup: legrandTimes10M},
	{Var: "output.frequency", Path: "UPS.Output.Frequency", Format: "%.0f"},
	{Var: "ups.load", Path: "UPS.Output.PercentLoad", Format: "%.0f"},
	{Var: "ups.load", Path: "UPS.OutletSystem.Outlet.PercentLoad", Format: "%.0f"},
	{Var: "ups.realpower.nominal", Path: "UPS.Output.ConfigActivePower", Format: "%.0f", HID: HIDStatic},
	{Var: "ups.realpower.nominal", Path: "UPS.Flow.ConfigApparentPower", Format: "%.0f", HID: HIDStatic},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.ACPresent", HID: HIDQuickPoll, Lookup: OnlineInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.BelowRemainingCapacityLimit", HID: HIDQuickPoll, Lookup: LowBattInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.Charging", HID: HIDQuickPoll, Lookup: ChargingInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.Discharging", HID: HIDQuickPoll, Lookup: DischargingInfo},
	{Var: "BOOL", Path: "UPS.Output.Overload", HID: HIDQuickPoll, Lookup: OverloadInfo},
	{Var: "ups.delay.shutdown", Flags: state.RW | state.String, Len: 10, Path: "UPS.OutletSystem.Outlet.DelayBeforeShutdown", Format: defaultOffDelay, HID: HIDAbsent},
	{Var: "ups.delay.start", Flags: state.RW | state.String, Len: 10, Path: "UPS.OutletSystem.Outlet.DelayBeforeStartup", Format: defaultOnDelay, HID: HIDAbsent},
	{Var: "ups.delay.shutdown", Flags: state.RW | state.String, Len: 10, Path: "UPS.Output.DelayBeforeShutdown", Format: defaultOffDelay, HID: HIDAbsent},
	{Var: "ups.delay.start", Flags: state.RW | state.String, Len: 10, Path: "UPS.Output.DelayBeforeStartup", Format: defaultOnDelay, HID: HIDAbsent},
	{Var: "load.off.delay", Path: "UPS.OutletSystem.Outlet.DelayBeforeShutdown", Format: defaultOffDelay, HID: HIDCommand},
	{Var: "load.on.delay", Path: "UPS.OutletSystem.Outlet.DelayBeforeStartup", Format: defaultOnDelay, HID: HIDCommand},
	{Var: "load.off.delay", Path: "UPS.Output.DelayBeforeShutdown", Format: defaultOffDelay, HID: HIDCommand},
	{Var: "load.on.delay", Path: "UPS.Output.DelayBeforeStartup", Format: defaultOnDelay, HID: HIDCommand},
	{Var: "test.battery.start.quick", Path: "UPS.BatterySystem.Battery.Test", Format: "1", HID: HIDCommand},
	{Var: "test.battery.start.deep", Path: "UPS.BatterySystem.Battery.Test", Format: "2", HID: HIDCommand},
	{Var: "test.battery.stop", Path: "UPS.BatterySystem.Battery.Test", Format: "3", HID: HIDCommand},
	{Var: "test.battery.start.quick", Path: "UPS.Output.Test", Format: "1", HID: HIDCommand},
	{Var: "test.battery.start.deep", Path: "UPS.Output.Test", Format: "2", HID: HIDCommand},
	{Var: "test.battery.stop", Path: "UPS.Output.Test", Format: "3", HID: HIDCommand},
	{Var: "beeper.enable", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "2", HID: HIDCommand},
	{Var: "beeper.disable", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "3", HID: HIDCommand},
}

// Legrand's units report some values with exponents that are wrong by a
// power of ten (legrand-hid.c).
var (
	legrandTimes10   = legrandTimes("legrand_times10_info", 10)
	legrandTimes100k = legrandTimes("legrand_times100k_info", 100000)
	legrandTimes1M   = legrandTimes("legrand_times1M_info", 1000000)
	legrandTimes10M  = legrandTimes("legrand_times10M_info", 10000000)
)

func legrandTimes(name string, factor float64) *Lookup {
	return scaled(name, 1, func(Context) float64 { return factor })
}
