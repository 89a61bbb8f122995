package subdriver

import "gonut/state"

// deltaInfo is delta_ups-hid.c's table (NUT 2.8.0's delta_ups_hid2nut),
// row for row.
var deltaInfo = []Info{
	{Var: "input.sensitivity", Flags: state.RW, Path: "UPS.DeltaCustom.[1].DeltaConfigSensitivity", Format: "%s", Lookup: deltaSensitivityInfo},
	{Var: "input.voltage.nominal", Path: "UPS.PowerSummary.Input.ConfigVoltage", Format: "%.1f", HID: HIDSemiStatic},
	{Var: "input.voltage", Path: "UPS.PowerSummary.Input.Voltage", Format: "%.1f", HID: HIDQuickPoll},
	{Var: "input.voltage", Path: "UPS.PowerConverter.Input.Voltage", Format: "%.1f", HID: HIDQuickPoll},
	{Var: "input.transfer.low", Flags: state.RW, Path: "UPS.PowerConverter.Output.LowVoltageTransfer", Format: "%.1f"},
	{Var: "input.transfer.high", Flags: state.RW, Path: "UPS.PowerConverter.Output.HighVoltageTransfer", Format: "%.1f"},
	{Var: "input.transfer.low.min", Path: "UPS.PowerConverter.Output.DeltaConfigTransferLowMin", Format: "%.1f", HID: HIDStatic},
	{Var: "input.transfer.low.max", Path: "UPS.PowerConverter.Output.DeltaConfigTransferLowMax", Format: "%.1f", HID: HIDStatic},
	{Var: "input.transfer.high.min", Path: "UPS.PowerConverter.Output.DeltaConfigTransferHighMin", Format: "%.1f", HID: HIDStatic},
	{Var: "input.transfer.high.max", Path: "UPS.PowerConverter.Output.DeltaConfigTransferHighMax", Format: "%.1f", HID: HIDStatic},
	{Var: "input.source", Path: "UPS.OutletSystem.Outlet.DeltaOutputSource", Format: "%s", Lookup: deltaOutputSourceInfo},
	{Var: "input.frequency", Path: "UPS.PowerConverter.Input.Frequency", Format: "%.1f", HID: HIDQuickPoll},
	{Var: "battery.voltage.nominal", Path: "UPS.BatterySystem.Battery.ConfigVoltage", Format: "%.1f", HID: HIDStatic},
	{Var: "battery.voltage", Path: "UPS.BatterySystem.Battery.Voltage", Format: "%.1f", HID: HIDQuickPoll},
	{Var: "battery.charge", Path: "UPS.PowerSummary.RemainingCapacity", Format: "%.0f", HID: HIDQuickPoll},
	{Var: "battery.charge", Path: "UPS.BatterySystem.Battery.RemainingCapacity", Format: "%.0f"},
	{Var: "battery.charge.low", Flags: state.RW | state.String, Len: 5, Path: "UPS.PowerSummary.RemainingCapacityLimit", Format: "%.0f", HID: HIDSemiStatic},
	{Var: "battery.charge.warning", Path: "UPS.PowerSummary.WarningCapacityLimit", Format: "%.0f", HID: HIDSemiStatic},
	{Var: "battery.temperature", Path: "UPS.BatterySystem.Temperature", Format: "%s", HID: HIDQuickPoll, Lookup: KelvinCelsiusConversion},
	{Var: "battery.runtime", Path: "UPS.PowerSummary.RunTimeToEmpty", Format: "%.0f", HID: HIDQuickPoll},
	{Var: "battery.type", Path: "UPS.PowerSummary.iDeviceChemistry", Format: "%s", HID: HIDStatic, Lookup: StringIDConversion},
	{Var: "battery.capacity", Path: "UPS.PowerSummary.DesignCapacity", Format: "%.0f", HID: HIDSemiStatic},
	{Var: "battery.capacity", Path: "UPS.PowerSummary.FullChargeCapacity", Format: "%.0f", HID: HIDSemiStatic},
	{Var: "output.voltage.nominal", Path: "UPS.Flow.ConfigVoltage", Format: "%.1f", HID: HIDSemiStatic},
	{Var: "output.frequency.nominal", Path: "UPS.Flow.ConfigFrequency", Format: "%.1f", HID: HIDSemiStatic},
	{Var: "output.voltage", Path: "UPS.PowerConverter.Output.Voltage", Format: "%.1f", HID: HIDQuickPoll},
	{Var: "output.frequency", Path: "UPS.PowerConverter.Output.Frequency", Format: "%.1f", HID: HIDQuickPoll},
	{Var: "output.current", Path: "UPS.PowerConverter.Output.Current", Format: "%.1f", HID: HIDQuickPoll},
	{Var: "ups.beeper.status", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "%s", HID: HIDQuickPoll, Lookup: BeeperInfo},
	{Var: "ups.test.result", Path: "UPS.BatterySystem.Test", Format: "%s", Lookup: TestReadInfo},
	{Var: "ups.type", Path: "UPS.DeltaCustom.[1].DeltaUPSType", Format: "%s", HID: HIDStatic, Lookup: deltaTypeInfo},
	{Var: "ups.start.auto", Flags: state.RW, Path: "UPS.DeltaCustom.[1].DeltaConfigStartPowerRestore", Format: "%s", Lookup: YesNoInfo},
	{Var: "ups.power.nominal", Path: "UPS.Flow.ConfigApparentPower", Format: "%.0f", HID: HIDStatic},
	{Var: "ups.realpower", Path: "UPS.OutletSystem.Outlet.ActivePower", Format: "%.1f", HID: HIDQuickPoll},
	{Var: "ups.realpower", Path: "UPS.PowerConverter.Output.ActivePower", Format: "%.1f", HID: HIDQuickPoll},
	{Var: "ups.load", Path: "UPS.OutletSystem.Outlet.PercentLoad", Format: "%.1f", HID: HIDQuickPoll},
	{Var: "ups.delay.start", Flags: state.RW, Path: "UPS.OutletSystem.Outlet.DeltaConfigStartPowerRestoreDelay", Format: "%.0f"},
	{Var: "ups.timer.start", Path: "UPS.OutletSystem.Outlet.DelayBeforeStartup", Format: "%.0f", HID: HIDQuickPoll},
	{Var: "ups.timer.shutdown", Path: "UPS.OutletSystem.Outlet.DelayBeforeShutdown", Format: "%.0f", HID: HIDQuickPoll},
	{Var: "ups.timer.reboot", Path: "UPS.OutletSystem.Outlet.DelayBeforeReboot", Format: "%.0f", HID: HIDQuickPoll},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.Good", HID: HIDQuickPoll, Lookup: OffInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.InternalFailure", HID: HIDQuickPoll, Lookup: CommFaultInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.ShutdownImminent", HID: HIDQuickPoll, Lookup: ShutdownImmInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.ACPresent", HID: HIDQuickPoll, Lookup: OnlineInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.BelowRemainingCapacityLimit", HID: HIDQuickPoll, Lookup: LowBattInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.FullyCharged", HID: HIDQuickPoll, Lookup: FullyChargedInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.Charging", HID: HIDQuickPoll, Lookup: ChargingInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.Discharging", HID: HIDQuickPoll, Lookup: DischargingInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.FullyDischarged", HID: HIDQuickPoll, Lookup: DepletedInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.NeedReplacement", HID: HIDQuickPoll, Lookup: ReplaceBattInfo},
	{Var: "BOOL", Path: "UPS.PowerConverter.PresentStatus.VoltageOutOfRange", HID: HIDQuickPoll, Lookup: VRangeInfo},
	{Var: "BOOL", Path: "UPS.PowerConverter.PresentStatus.Buck", HID: HIDQuickPoll, Lookup: TrimInfo},
	{Var: "BOOL", Path: "UPS.PowerConverter.PresentStatus.Boost", HID: HIDQuickPoll, Lookup: BoostInfo},
	{Var: "BOOL", Path: "UPS.PowerConverter.PresentStatus.Overload", HID: HIDQuickPoll, Lookup: OverloadInfo},
	{Var: "BOOL", Path: "UPS.PowerConverter.PresentStatus.Used", HID: HIDQuickPoll, Lookup: NoBatteryInfo},
	{Var: "BOOL", Path: "UPS.PowerConverter.PresentStatus.OverTemperature", HID: HIDQuickPoll, Lookup: OverheatInfo},
	{Var: "BOOL", Path: "UPS.PowerConverter.PresentStatus.InternalFailure", HID: HIDQuickPoll, Lookup: CommFaultInfo},
	{Var: "BOOL", Path: "UPS.PowerConverter.PresentStatus.AwaitingPower", HID: HIDQuickPoll, Lookup: AwaitingPowerInfo},
	{Var: "beeper.on", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "2", HID: HIDCommand},
	{Var: "beeper.off", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "3", HID: HIDCommand},
	{Var: "beeper.enable", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "2", HID: HIDCommand},
	{Var: "beeper.disable", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "1", HID: HIDCommand},
	{Var: "beeper.mute", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "3", HID: HIDCommand},
	{Var: "test.battery.start.quick", Path: "UPS.BatterySystem.Test", Format: "1", HID: HIDCommand},
	{Var: "test.battery.start.deep", Path: "UPS.BatterySystem.Test", Format: "2", HID: HIDCommand},
	{Var: "test.battery.stop", Path: "UPS.BatterySystem.Test", Format: "3", HID: HIDCommand},
	{Var: "load.on.delay", Path: "UPS.OutletSystem.Outlet.DelayBeforeStartup", Format: defaultOnDelay, HID: HIDCommand},
	{Var: "load.off.delay", Path: "UPS.OutletSystem.Outlet.DelayBeforeShutdown", Format: defaultOffDelay, HID: HIDCommand},
	{Var: "shutdown.stop", Path: "UPS.OutletSystem.Outlet.DelayBeforeShutdown", Format: "-1", HID: HIDCommand},
	{Var: "shutdown.reboot", Path: "UPS.OutletSystem.Outlet.DelayBeforeReboot", Format: "10", HID: HIDCommand},
}

// Delta's lookups (delta_ups-hid.c).
var (
	deltaSensitivityInfo = &Lookup{Name: "delta_ups_sensitivity_info", Pairs: []Pair{{0, "normal"}, {1, "reduced"}, {2, "low"}}}
	// deltaTypeInfo: the low nibble of DeltaUPSType, 0 to 6.
	deltaTypeInfo = &Lookup{Name: "delta_ups_type_info", ToNUT: func(_ Context, v float64) (string, bool) {
		t := int64(v) & 0xf
		switch {
		case t == 6:
			t = 4
		case t > 2 && t <= 5:
			t -= 2
		}
		if t > 4 {
			return "", false
		}
		return []string{"online", "offline", "line-interactive", "3-phase", "split-phase"}[t], true
	}}
	deltaOutputSourceInfo = &Lookup{Name: "delta_ups_output_source_info", Pairs: []Pair{{0, "normal"}, {1, "battery"},
		{2, "bypass/reserve"}, {3, "reducing"}, {4, "boosting"}, {5, "manual bypass"}, {6, "other"}, {7, "no output"}, {8, "on eco"}}}
)

// labelsDelta: the model is the string UPS.DeltaCustom.[1].DeltaModelName
// points to, or the product string.
func labelsDelta(s *Subdriver, c Context) Labels {
	l := labelsDefault(s, c)
	if m := indexedString(c, "UPS.DeltaCustom.[1].DeltaModelName"); m != "" {
		l.Model = m
	}
	return l
}
