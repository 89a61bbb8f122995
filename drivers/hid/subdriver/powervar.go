package subdriver

// powervarInfo is powervar-hid.c's table (NUT 2.8.0's powervar_hid2nut), row for row.
var powervarInfo = []Info{
	{Var: "battery.type", Path: "UPS.PowerSummary.iDeviceChemistry", Format: "%s", Lookup: StringIDConversion},
	{Var: "battery.charge", Path: "UPS.PowerSummary.RemainingCapacity", Format: "%.0f"},
	{Var: "battery.capacity", Path: "UPS.PowerSummary.FullChargeCapacity", Format: "%.0f"},
	{Var: "battery.runtime", Path: "UPS.PowerSummary.RuntimeToEmpty", Format: "%.0f"},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.ACPresent", HID: HIDQuickPoll, Lookup: OnlineInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.Discharging", HID: HIDQuickPoll, Lookup: DischargingInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.Charging", HID: HIDQuickPoll, Lookup: ChargingInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.ShutdownImminent", Lookup: ShutdownImmInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.BelowRemainingCapacityLimit", Lookup: LowBattInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.Overload", Lookup: OverloadInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.NeedReplacement", Lookup: ReplaceBattInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.RemainingTimeLimitExpired", Lookup: TimeLimitExpiredInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.InternalFailure", Lookup: YesNoInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.Good", Lookup: YesNoInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.OverTemperature", Lookup: OverheatInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.FullyCharged", Lookup: FullyChargedInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.FullyDischarged", Lookup: DepletedInfo},
}
