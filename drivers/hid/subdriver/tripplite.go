package subdriver

import "gonut/state"

// trippliteInfo is tripplite-hid.c's table (NUT 2.8.0's tripplite_hid2nut,
// without the rows of its USBHID_UPS_TRIPPLITE_DEBUG build), row for row.
var trippliteInfo = []Info{
	{Var: "device.part", Path: "UPS.TLCustom.[1].iUPSPartNumber", Format: "%s", HID: HIDStatic, Lookup: StringIDConversion},
	{Var: "battery.charge", Path: "UPS.PowerSummary.RemainingCapacity", Format: "%.0f"},
	{Var: "battery.charge", Path: "UPS.BatterySystem.Battery.RemainingCapacity", Format: "%.0f"},
	{Var: "battery.charge.low", Flags: state.RW | state.String, Len: 5, Path: "UPS.PowerSummary.RemainingCapacityLimit", Format: "%.0f", HID: HIDSemiStatic},
	{Var: "battery.charge.warning", Path: "UPS.PowerSummary.WarningCapacityLimit", Format: "%.0f"},
	{Var: "battery.runtime", Path: "UPS.PowerSummary.RunTimeToEmpty", Format: "%.0f"},
	{Var: "battery.voltage.nominal", Path: "UPS.BatterySystem.Battery.ConfigVoltage", Format: "%.1f", HID: HIDStatic},
	{Var: "battery.voltage", Path: "UPS.BatterySystem.Battery.Voltage", Format: "%s", Lookup: trippliteBattVolt},
	{Var: "battery.type", Path: "UPS.PowerSummary.iDeviceChemistry", Format: "%s", HID: HIDStatic, Lookup: trippliteChemistry},
	{Var: "battery.temperature", Path: "UPS.BatterySystem.Temperature", Format: "%s", Lookup: KelvinCelsiusConversion},
	{Var: "ups.delay.start", Flags: state.RW | state.String, Len: 10, Path: "UPS.OutletSystem.Outlet.DelayBeforeStartup", Format: defaultOnDelay, HID: HIDAbsent},
	{Var: "ups.delay.start", Flags: state.RW | state.String, Len: 10, Path: "UPS.OutletSystem.Outlet.TLDelayBeforeStartup", Format: defaultOnDelay, HID: HIDAbsent},
	{Var: "ups.delay.shutdown", Flags: state.RW | state.String, Len: 10, Path: "UPS.OutletSystem.Outlet.DelayBeforeShutdown", Format: defaultOffDelay, HID: HIDAbsent},
	{Var: "ups.timer.start", Path: "UPS.OutletSystem.Outlet.DelayBeforeStartup", Format: "%.0f", HID: HIDQuickPoll},
	{Var: "ups.timer.start", Path: "UPS.OutletSystem.Outlet.TLDelayBeforeStartup", Format: "%.0f", HID: HIDQuickPoll},
	{Var: "ups.timer.shutdown", Path: "UPS.OutletSystem.Outlet.DelayBeforeShutdown", Format: "%.0f", HID: HIDQuickPoll},
	{Var: "ups.timer.reboot", Path: "UPS.OutletSystem.Outlet.DelayBeforeReboot", Format: "%.0f", HID: HIDQuickPoll},
	{Var: "ups.test.result", Path: "UPS.BatterySystem.Test", Format: "%s", Lookup: TestReadInfo},
	{Var: "ups.beeper.status", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "%s", Lookup: BeeperInfo},
	{Var: "ups.power.nominal", Path: "UPS.Flow.ConfigApparentPower", Format: "%.0f", HID: HIDStatic},
	{Var: "ups.power", Path: "UPS.OutletSystem.Outlet.ActivePower", Format: "%.1f"},
	{Var: "ups.power", Path: "UPS.PowerConverter.Output.ActivePower", Format: "%.1f"},
	{Var: "ups.load", Path: "UPS.OutletSystem.Outlet.PercentLoad", Format: "%.0f"},
	{Var: "ups.firmware", Path: "UPS.TLCustom.[1].UPSFirmwareVersion", Format: "%.0f", HID: HIDStatic},
	{Var: "ups.watchdog.status", Path: "UPS.OutletSystem.Outlet.TLWatchdog", Format: "%.0f"},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.InternalFailure", Lookup: CommFaultInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.ShutdownImminent", Lookup: ShutdownImmInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.ACPresent", HID: HIDQuickPoll, Lookup: OnlineInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.BelowRemainingCapacityLimit", HID: HIDQuickPoll, Lookup: LowBattInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.FullyCharged", HID: HIDQuickPoll, Lookup: FullyChargedInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.Charging", HID: HIDQuickPoll, Lookup: ChargingInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.Discharging", HID: HIDQuickPoll, Lookup: DischargingInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.FullyDischarged", HID: HIDQuickPoll, Lookup: DepletedInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.NeedReplacement", Lookup: ReplaceBattInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.TLACPresent", HID: HIDQuickPoll, Lookup: OnlineInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.TLDischarging", HID: HIDQuickPoll, Lookup: DischargingInfo},
	{Var: "ups.load.nominal", Path: "UPS.Flow.ConfigPercentLoad", Format: "%.0f"},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.TLCharging", HID: HIDQuickPoll, Lookup: ChargingInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.TLNeedReplacement", Lookup: ReplaceBattInfo},
	{Var: "BOOL", Path: "UPS.PowerConverter.PresentStatus.VoltageOutOfRange", Lookup: VRangeInfo},
	{Var: "BOOL", Path: "UPS.PowerConverter.PresentStatus.Buck", Lookup: TrimInfo},
	{Var: "BOOL", Path: "UPS.PowerConverter.PresentStatus.Boost", Lookup: BoostInfo},
	{Var: "BOOL", Path: "UPS.PowerConverter.PresentStatus.Overload", Lookup: OverloadInfo},
	{Var: "BOOL", Path: "UPS.PowerConverter.PresentStatus.OverTemperature", Lookup: OverheatInfo},
	{Var: "BOOL", Path: "UPS.PowerConverter.PresentStatus.InternalFailure", Lookup: CommFaultInfo},
	{Var: "BOOL", Path: "UPS.PowerConverter.PresentStatus.AwaitingPower", Lookup: AwaitingPowerInfo},
	{Var: "input.voltage.nominal", Path: "UPS.PowerSummary.Input.ConfigVoltage", Format: "%.0f", HID: HIDStatic},
	{Var: "input.voltage", Path: "UPS.PowerSummary.Input.Voltage", Format: "%s", Lookup: trippliteIOVolt},
	{Var: "input.voltage", Path: "UPS.PowerConverter.Input.Voltage", Format: "%s", Lookup: trippliteIOVolt},
	{Var: "input.frequency", Path: "UPS.PowerConverter.Input.Frequency", Format: "%s", Lookup: trippliteIOFreq},
	{Var: "input.transfer.low", Flags: state.RW | state.String, Len: 5, Path: "UPS.PowerConverter.Output.LowVoltageTransfer", Format: "%.1f", HID: HIDSemiStatic},
	{Var: "input.transfer.low.max", Path: "UPS.PowerConverter.Output.TLLowVoltageTransferMax", Format: "%.0f", HID: HIDStatic},
	{Var: "input.transfer.low.min", Path: "UPS.PowerConverter.Output.TLLowVoltageTransferMin", Format: "%.0f", HID: HIDStatic},
	{Var: "input.transfer.high", Flags: state.RW | state.String, Len: 5, Path: "UPS.PowerConverter.Output.HighVoltageTransfer", Format: "%.1f", HID: HIDSemiStatic},
	{Var: "input.transfer.high.max", Path: "UPS.PowerConverter.Output.TLHighVoltageTransferMax", Format: "%.0f", HID: HIDStatic},
	{Var: "input.transfer.high.min", Path: "UPS.PowerConverter.Output.TLHighVoltageTransferMin", Format: "%.0f", HID: HIDStatic},
	{Var: "output.voltage.nominal", Path: "UPS.Flow.ConfigVoltage", Format: "%.0f", HID: HIDStatic},
	{Var: "output.voltage", Path: "UPS.PowerConverter.Output.Voltage", Format: "%s", Lookup: trippliteIOVolt},
	{Var: "output.voltage", Path: "UPS.PowerSummary.Voltage", Format: "%s", Lookup: trippliteIOVolt},
	{Var: "output.current", Path: "UPS.PowerConverter.Output.Current", Format: "%s", Lookup: trippliteIOAmp},
	{Var: "output.frequency.nominal", Path: "UPS.Flow.ConfigFrequency", Format: "%.0f", HID: HIDStatic},
	{Var: "output.frequency", Path: "UPS.PowerConverter.Output.Frequency", Format: "%s", Lookup: trippliteIOFreq},
	{Var: "test.battery.start.quick", Path: "UPS.BatterySystem.Test", Format: "1", HID: HIDCommand},
	{Var: "test.battery.start.deep", Path: "UPS.BatterySystem.Test", Format: "2", HID: HIDCommand},
	{Var: "test.battery.stop", Path: "UPS.BatterySystem.Test", Format: "3", HID: HIDCommand},
	{Var: "load.off.delay", Path: "UPS.OutletSystem.Outlet.DelayBeforeShutdown", Format: defaultOffDelay, HID: HIDCommand},
	{Var: "load.on.delay", Path: "UPS.OutletSystem.Outlet.DelayBeforeStartup", Format: defaultOnDelay, HID: HIDCommand},
	{Var: "load.on.delay", Path: "UPS.OutletSystem.Outlet.TLDelayBeforeStartup", Format: defaultOnDelay, HID: HIDCommand},
	{Var: "shutdown.stop", Path: "UPS.OutletSystem.Outlet.DelayBeforeShutdown", Format: "-1", HID: HIDCommand},
	{Var: "shutdown.reboot", Path: "UPS.OutletSystem.Outlet.DelayBeforeReboot", Format: "10", HID: HIDCommand},
	{Var: "shutdown.reboot", Path: "UPS.OutletSystem.Outlet.TLWatchdog", Format: "10", HID: HIDCommand},
	{Var: "reset.watchdog", Path: "UPS.OutletSystem.Outlet.TLWatchdog", Format: "60", HID: HIDCommand},
	{Var: "beeper.on", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "2", HID: HIDCommand},
	{Var: "beeper.off", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "3", HID: HIDCommand},
	{Var: "beeper.disable", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "1", HID: HIDCommand},
	{Var: "beeper.enable", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "2", HID: HIDCommand},
	{Var: "beeper.mute", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "3", HID: HIDCommand},
}

// Tripp Lite's conversions (tripplite-hid.c): readings scaled by factors
// that depend on the model, as its USB product ID tells.
var (
	// trippliteChemistry: the battery chemistry string, except on the
	// AVR550U (09ae:1003) and OMNI1000LCD (2005), whose firmware points to
	// a wrong one.
	trippliteChemistry = &Lookup{Name: "tripplite_chemistry", ToNUT: func(c Context, v float64) (string, bool) {
		if pid, _ := c.Var("ups.productid"); pid == "1003" || pid == "2005" {
			return "unknown", true
		}
		return stringID(c, v)
	}}
	trippliteBattVolt = trippliteScaled("tripplite_battvolt", func(s trippliteScale) float64 { return s.battery })
	trippliteIOVolt   = trippliteScaled("tripplite_iovolt", func(s trippliteScale) float64 { return s.voltage })
	trippliteIOFreq   = trippliteScaled("tripplite_iofreq", func(s trippliteScale) float64 { return s.frequency })
	trippliteIOAmp    = trippliteScaled("tripplite_ioamp", func(s trippliteScale) float64 { return s.current })
)

// trippliteScale are the factors of a model's battery voltage, input and
// output voltages, frequencies and currents.
type trippliteScale struct{ battery, voltage, frequency, current float64 }

// trippliteScales are the models whose readings are scaled: the older
// ones report the battery voltage in tenths, the Smart1500LCDT (09ae:3016)
// and newer AVR750U (3024) everything with wrong exponents. Only devices
// claimed from the table are scaled (NUT sets the factors from its
// table's rows).
func trippliteScales(dev Device) trippliteScale {
	s := trippliteScale{1, 1, 1, 1}
	if dev.VendorID != vendorTrippLite {
		return s
	}
	switch dev.ProductID {
	case 0x1003, 0x1007, 0x1008, 0x1009, 0x1010, 0x2005, 0x2007, 0x2008, 0x2009, 0x2010, 0x2011, 0x2012, 0x2013, 0x2014:
		s.battery = 0.1
	case 0x3016, 0x3024:
		s = trippliteScale{100000, 100000, 0.01, 0.01}
	}
	return s
}

func trippliteScaled(name string, factor func(trippliteScale) float64) *Lookup {
	return scaled(name, 1, func(c Context) float64 { return factor(trippliteScales(c.State().Device())) })
}
