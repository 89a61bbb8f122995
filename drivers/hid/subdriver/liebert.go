package subdriver

// liebertInfo is liebert-hid.c's table (NUT 2.8.0's liebert_hid2nut), row for row:
// Phoenixtec's units, sold by Liebert and PowerWalker.
var liebertInfo = []Info{
	{Var: "battery.voltage", Path: "UPS.PowerSummary.Voltage", Format: "%.2f"},
	{Var: "battery.voltage.nominal", Path: "UPS.PowerSummary.ConfigVoltage", Format: "%.2f", HID: HIDStatic},
	{Var: "battery.charge", Path: "UPS.PowerSummary.RemainingCapacity", Format: "%.0f"},
	{Var: "battery.runtime", Path: "UPS.PowerSummary.RunTimeToEmpty", Format: "%.0f"},
	{Var: "battery.type", Path: "UPS.PowerSummary.iDeviceChemistry", Format: "%s", Lookup: StringIDConversion},
	{Var: "ups.load", Path: "UPS.PowerSummary.PercentLoad", Format: "%.0f"},
	{Var: "output.voltage", Path: "UPS.PowerConverter.Output.Voltage", Format: "%.1f"},
	{Var: "output.frequency", Path: "UPS.PowerConverter.Output.Frequency", Format: "%.2f"},
	{Var: "output.transfer.high", Path: "UPS.PowerConverter.Output.HighVoltageTransfer", Format: "%.1f", HID: HIDSemiStatic},
	{Var: "output.transfer.low", Path: "UPS.PowerConverter.Output.LowVoltageTransfer", Format: "%.1f", HID: HIDSemiStatic},
	{Var: "input.voltage", Path: "UPS.PowerConverter.Input.[1].Voltage", Format: "%.1f"},
	{Var: "input.frequency", Path: "UPS.PowerConverter.Input.[1].Frequency", Format: "%.2f"},
	{Var: "input.transfer.low", Path: "UPS.PowerConverter.Output.ffff0057", Format: "%.0f", HID: HIDSemiStatic},
	{Var: "input.transfer.high", Path: "UPS.PowerConverter.Output.ffff0058", Format: "%.0f", HID: HIDSemiStatic},
	{Var: "input.frequency.transfer.low", Path: "UPS.PowerConverter.Output.ffff00f9", Format: "%.0f", HID: HIDSemiStatic},
	{Var: "input.frequency.transfer.high", Path: "UPS.PowerConverter.Output.ffff00f8", Format: "%.0f", HID: HIDSemiStatic},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.ACPresent", Format: "%.0f", HID: HIDQuickPoll, Lookup: OnlineInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.BelowRemainingCapacityLimit", Format: "%.0f", HID: HIDQuickPoll, Lookup: LowBattInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.Charging", Format: "%.0f", HID: HIDQuickPoll, Lookup: ChargingInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.Discharging", Format: "%.0f", HID: HIDQuickPoll, Lookup: DischargingInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.Overload", Format: "%.0f", Lookup: OverloadInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.ShutdownImminent", Format: "%.0f", Lookup: ShutdownImmInfo},
}
