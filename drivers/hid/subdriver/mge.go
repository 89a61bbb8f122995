package subdriver

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"gonut/state"
)

// mgeModel is the family of an MGE or Eaton model (mge-hid.c's
// models_type_t): offline models are below mgeDefault, and the high byte
// is the series.
type mgeModel int

const (
	mgeDefaultOffline mgeModel = 0
	mgePegasus        mgeModel = 0x100 // Protection Station, Ellipse ECO
	mge3S             mgeModel = 0x110
	mgeDefault        mgeModel = 0x200 // line-interactive and online models
	mgeEvolution      mgeModel = 0x300
	mgeEvolution650   mgeModel = mgeEvolution + 1
	mgePulsarM        mgeModel = 0x400
	eaton5P           mgeModel = 0x500
)

func (m mgeModel) series() mgeModel { return m & 0xff00 }

// Country codes of UPS.PowerSummary.Country.
const (
	countryUnknown   = -1
	countryEurope    = 0
	countryEurope208 = 2 // European models that also run at 200 and 208 V
)

// Advanced Battery Monitoring, as UPS.BatterySystem.Charger.ABMEnable says.
const (
	abmUnknown  = -1
	abmDisabled = 0
)

// mgeInfo is mge-hid.c's table (NUT 2.8.0's mge_hid2nut, built with
// strptime, as Debian's is: ups.date and ups.time are writable), row for
// row. Rows are read in order, and some conversions depend on rows
// before them: the country and Advanced Battery Monitoring (ABM) come
// first, the OFF status before the converter's online status.
var mgeInfo = []Info{
	{Var: "device.country", Flags: state.String, Len: 20, Path: "UPS.PowerSummary.Country", Format: "Europe", HID: HIDStatic, Lookup: eatonCheckCountryInfo},
	{Var: "battery.charge", Path: "UPS.PowerSummary.RemainingCapacity", Format: "%.0f"},
	{Var: "battery.charge.low", Flags: state.RW | state.String, Len: 5, Path: "UPS.PowerSummary.RemainingCapacityLimitSetting", Format: "%.0f", HID: HIDSemiStatic},
	{Var: "battery.charge.low", Path: "UPS.PowerSummary.RemainingCapacityLimit", Format: "%.0f", HID: HIDStatic},
	{Var: "battery.charge.restart", Flags: state.RW | state.String, Len: 3, Path: "UPS.PowerSummary.RestartLevel", Format: "%.0f", HID: HIDSemiStatic},
	{Var: "battery.capacity", Path: "UPS.BatterySystem.Battery.DesignCapacity", Format: "%s", HID: HIDStatic, Lookup: mgeBatteryCapacity},
	{Var: "battery.runtime", Path: "UPS.PowerSummary.RunTimeToEmpty", Format: "%.0f"},
	{Var: "battery.runtime.low", Flags: state.RW | state.String, Len: 10, Path: "UPS.PowerSummary.RemainingTimeLimit", Format: "%.0f"},
	{Var: "battery.runtime.elapsed", Path: "UPS.StatisticSystem.Input.[1].Statistic.[1].Time", Format: "%.0f", HID: HIDQuickPoll},
	{Var: "battery.runtime.low", Flags: state.RW | state.String, Len: 10, Path: "UPS.PowerSummary.RemainingTimeLimit", Format: "%.0f"},
	{Var: "battery.temperature", Path: "UPS.BatterySystem.Battery.Temperature", Format: "%s", Lookup: KelvinCelsiusConversion},
	{Var: "battery.type", Path: "UPS.PowerSummary.iDeviceChemistry", Format: "%s", HID: HIDStatic, Lookup: StringIDConversion},
	{Var: "battery.voltage", Path: "UPS.BatterySystem.Voltage", Format: "%.1f"},
	{Var: "battery.voltage", Path: "UPS.PowerSummary.Voltage", Format: "%s", Lookup: mgeBatteryVoltage},
	{Var: "battery.voltage.nominal", Path: "UPS.BatterySystem.ConfigVoltage", Format: "%.0f", HID: HIDStatic},
	{Var: "battery.voltage.nominal", Path: "UPS.PowerSummary.ConfigVoltage", Format: "%s", HID: HIDStatic, Lookup: mgeBatteryVoltageNominal},
	{Var: "battery.protection", Flags: state.RW | state.String, Len: 5, Path: "UPS.BatterySystem.Battery.DeepDischargeProtection", Format: "%s", HID: HIDSemiStatic, Lookup: YesNoInfo},
	{Var: "battery.energysave", Flags: state.RW | state.String, Len: 5, Path: "UPS.PowerConverter.Input.[3].EnergySaving", Format: "%s", HID: HIDSemiStatic, Lookup: YesNoInfo},
	{Var: "battery.energysave.load", Flags: state.RW | state.String, Len: 5, Path: "UPS.PowerConverter.Input.[3].ConfigPercentLoad", Format: "%.0f", HID: HIDSemiStatic},
	{Var: "battery.energysave.delay", Flags: state.RW | state.String, Len: 5, Path: "UPS.PowerConverter.Input.[3].EnergySaving.ShutdownTimer", Format: "%.0f", HID: HIDSemiStatic},
	{Var: "battery.energysave.delay", Flags: state.RW | state.String, Len: 5, Path: "UPS.PowerConverter.Input.[3].ShutdownTimer", Format: "%.0f", HID: HIDSemiStatic},
	{Var: "battery.energysave.realpower", Flags: state.RW | state.String, Len: 5, Path: "UPS.PowerConverter.Input.[3].ConfigActivePower", Format: "%.0f", HID: HIDSemiStatic},
	{Var: "battery.charger.status", Path: "UPS.BatterySystem.Charger.ABMEnable", Format: "%.0f", HID: HIDQuickPoll, Lookup: eatonABMEnabledInfo},
	{Var: "battery.charger.status", Path: "UPS.BatterySystem.Charger.Mode", Format: "%.0f", HID: HIDQuickPoll, Lookup: eatonABMStatusInfo},
	{Var: "ups.efficiency", Path: "UPS.PowerConverter.Output.Efficiency", Format: "%.0f"},
	{Var: "ups.firmware", Path: "UPS.PowerSummary.iVersion", Format: "%s", HID: HIDStatic, Lookup: StringIDConversion},
	{Var: "ups.load", Path: "UPS.PowerSummary.PercentLoad", Format: "%.0f"},
	{Var: "ups.load.high", Flags: state.RW | state.String, Len: 5, Path: "UPS.Flow.[4].ConfigPercentLoad", Format: "%.0f", HID: HIDSemiStatic},
	{Var: "ups.delay.start", Flags: state.RW | state.String, Len: 10, Path: "UPS.PowerSummary.DelayBeforeStartup", Format: defaultOnDelay, HID: HIDAbsent},
	{Var: "ups.delay.shutdown", Flags: state.RW | state.String, Len: 10, Path: "UPS.PowerSummary.DelayBeforeShutdown", Format: defaultOffDelay, HID: HIDAbsent},
	{Var: "ups.timer.start", Path: "UPS.PowerSummary.DelayBeforeStartup", Format: "%.0f", HID: HIDQuickPoll},
	{Var: "ups.timer.shutdown", Path: "UPS.PowerSummary.DelayBeforeShutdown", Format: "%.0f", HID: HIDQuickPoll},
	{Var: "ups.timer.reboot", Path: "UPS.PowerSummary.DelayBeforeReboot", Format: "%.0f", HID: HIDQuickPoll},
	{Var: "ups.test.result", Path: "UPS.BatterySystem.Battery.Test", Format: "%s", Lookup: TestReadInfo},
	{Var: "ups.test.interval", Flags: state.RW | state.String, Len: 8, Path: "UPS.BatterySystem.Battery.TestPeriod", Format: "%.0f", HID: HIDSemiStatic},
	{Var: "ups.beeper.status", Path: "UPS.BatterySystem.Battery.AudibleAlarmControl", Format: "%s", HID: HIDSemiStatic, Lookup: BeeperInfo},
	{Var: "ups.beeper.status", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "%s", HID: HIDSemiStatic, Lookup: BeeperInfo},
	{Var: "ups.temperature", Path: "UPS.PowerSummary.Temperature", Format: "%s", Lookup: KelvinCelsiusConversion},
	{Var: "ups.power", Path: "UPS.PowerConverter.Output.ApparentPower", Format: "%.0f"},
	{Var: "ups.L1.power", Path: "UPS.PowerConverter.Output.Phase.[1].ApparentPower", Format: "%.0f"},
	{Var: "ups.L2.power", Path: "UPS.PowerConverter.Output.Phase.[2].ApparentPower", Format: "%.0f"},
	{Var: "ups.L3.power", Path: "UPS.PowerConverter.Output.Phase.[3].ApparentPower", Format: "%.0f"},
	{Var: "ups.power.nominal", Path: "UPS.Flow.[4].ConfigApparentPower", Format: "%.0f", HID: HIDStatic},
	{Var: "ups.realpower", Path: "UPS.PowerConverter.Output.ActivePower", Format: "%.0f"},
	{Var: "ups.realpower", Path: "UPS.Flow.[4].ConfigApparentPower", Format: "-1", Lookup: eatonComputeRealPowerInfo},
	{Var: "ups.L1.realpower", Path: "UPS.PowerConverter.Output.Phase.[1].ActivePower", Format: "%.0f"},
	{Var: "ups.L2.realpower", Path: "UPS.PowerConverter.Output.Phase.[2].ActivePower", Format: "%.0f"},
	{Var: "ups.L3.realpower", Path: "UPS.PowerConverter.Output.Phase.[3].ActivePower", Format: "%.0f"},
	{Var: "ups.realpower.nominal", Path: "UPS.Flow.[4].ConfigActivePower", Format: "%.0f", HID: HIDStatic},
	{Var: "ups.start.auto", Flags: state.RW | state.String, Len: 5, Path: "UPS.PowerConverter.Input.[1].AutomaticRestart", Format: "%s", HID: HIDSemiStatic, Lookup: YesNoInfo},
	{Var: "ups.start.battery", Flags: state.RW | state.String, Len: 5, Path: "UPS.PowerConverter.Input.[3].StartOnBattery", Format: "%s", HID: HIDSemiStatic, Lookup: YesNoInfo},
	{Var: "ups.start.reboot", Flags: state.RW | state.String, Len: 5, Path: "UPS.PowerConverter.Output.ForcedReboot", Format: "%s", HID: HIDSemiStatic, Lookup: YesNoInfo},
	{Var: "ups.shutdown", Flags: state.RW | state.String, Len: 10, Path: "UPS.PowerSummary.PresentStatus.Switchable", Format: "%s", HID: HIDSemiStatic | HIDEnum, Lookup: eatonEnableDisableInfo},
	{Var: "ups.date", Flags: state.RW | state.String, Len: 10, Path: "UPS.PowerSummary.Time", Format: "%s", Lookup: mgeDateConversion},
	{Var: "ups.time", Flags: state.RW | state.String, Len: 10, Path: "UPS.PowerSummary.Time", Format: "%s", Lookup: mgeTimeConversion},
	{Var: "ups.type", Path: "UPS.PowerConverter.ConverterType", Format: "%s", HID: HIDStatic, Lookup: mgeUPSTypeConversion},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.ACPresent", HID: HIDQuickPoll, Lookup: OnlineInfo},
	{Var: "BOOL", Path: "UPS.PowerConverter.Input.[3].PresentStatus.Used", Lookup: mgeOnBattInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.Discharging", HID: HIDQuickPoll, Lookup: eatonDischargingInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.Charging", HID: HIDQuickPoll, Lookup: eatonChargingInfo},
	{Var: "BOOL", Path: "UPS.BatterySystem.Charger.Mode", Format: "%.0f", HID: HIDQuickPoll, Lookup: eatonABMChrgDischrgInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.BelowRemainingCapacityLimit", HID: HIDQuickPoll, Lookup: LowBattInfo},
	{Var: "BOOL", Path: "UPS.PowerConverter.Output.Overload.[1].PresentStatus.OverThreshold", Lookup: OverloadInfo},
	{Var: "BOOL", Path: "UPS.PowerConverter.Output.Overload.[2].PresentStatus.OverThreshold", Lookup: OverloadInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.Overload", Lookup: OverloadInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.NeedReplacement", Lookup: ReplaceBattInfo},
	{Var: "BOOL", Path: "UPS.LCMSystem.LCMAlarm.[2].PresentStatus.TimerExpired", Lookup: ReplaceBattInfo},
	{Var: "BOOL", Path: "UPS.PowerConverter.Input.[1].PresentStatus.Buck", Lookup: TrimInfo},
	{Var: "BOOL", Path: "UPS.PowerConverter.Input.[1].PresentStatus.Boost", Lookup: BoostInfo},
	{Var: "BOOL", Path: "UPS.PowerConverter.Input.[1].PresentStatus.VoltageOutOfRange", Lookup: VRangeInfo},
	{Var: "BOOL", Path: "UPS.PowerConverter.Input.[1].PresentStatus.FrequencyOutOfRange", Lookup: FRangeInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.Good", Lookup: OffInfo},
	{Var: "BOOL", Path: "UPS.PowerConverter.Input.[1].PresentStatus.Used", Lookup: eatonConverterOnlineInfo},
	{Var: "BOOL", Path: "UPS.PowerConverter.Input.[2].PresentStatus.Used", Lookup: BypassAutoInfo},
	{Var: "BOOL", Path: "UPS.PowerConverter.Input.[4].PresentStatus.Used", Lookup: BypassManualInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.FanFailure", Lookup: FanFailInfo},
	{Var: "BOOL", Path: "UPS.BatterySystem.Battery.PresentStatus.Present", Lookup: NoBatteryInfo},
	{Var: "BOOL", Path: "UPS.BatterySystem.Charger.PresentStatus.InternalFailure", Lookup: ChargerFailInfo},
	{Var: "BOOL", Path: "UPS.BatterySystem.Charger.PresentStatus.VoltageTooHigh", Lookup: BattVoltHiInfo},
	{Var: "BOOL", Path: "UPS.PowerConverter.Input.[1].PresentStatus.VoltageTooHigh", Lookup: BattVoltHiInfo},
	{Var: "BOOL", Path: "UPS.BatterySystem.Battery.PresentStatus.VoltageTooHigh", Lookup: BattVoltHiInfo},
	{Var: "BOOL", Path: "UPS.BatterySystem.Charger.PresentStatus.VoltageTooLow", Lookup: BattVoltLoInfo},
	{Var: "BOOL", Path: "UPS.PowerConverter.Input.[1].PresentStatus.VoltageTooLow", Lookup: mgeOnBattInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.InternalFailure", Lookup: CommFaultInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.OverTemperature", Lookup: OverheatInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.ShutdownImminent", Lookup: ShutdownImmInfo},
	{Var: "ups.alarm", Path: "UPS.PowerSummary.PresentStatus.EmergencyStop", Lookup: mgeEmergencyStop},
	{Var: "ups.alarm", Path: "UPS.PowerConverter.Input.[1].PresentStatus.WiringFault", Lookup: mgeWiringFault},
	{Var: "ups.alarm", Path: "UPS.PowerSummary.PresentStatus.ConfigurationFailure", Lookup: mgeConfigFailure},
	{Var: "ups.alarm", Path: "UPS.PowerConverter.Inverter.PresentStatus.VoltageTooHigh", Lookup: mgeInverterVoltHi},
	{Var: "ups.alarm", Path: "UPS.PowerConverter.Inverter.PresentStatus.VoltageTooLow", Lookup: mgeInverterVoltLo},
	{Var: "ups.alarm", Path: "UPS.PowerConverter.Output.PresentStatus.ShortCircuit", Lookup: mgeShortCircuit},
	{Var: "input.voltage", Path: "UPS.PowerConverter.Input.[1].Voltage", Format: "%.1f"},
	{Var: "input.L1-N.voltage", Path: "UPS.PowerConverter.Input.[1].Phase.[1].Voltage", Format: "%.1f"},
	{Var: "input.L2-N.voltage", Path: "UPS.PowerConverter.Input.[1].Phase.[2].Voltage", Format: "%.1f"},
	{Var: "input.L3-N.voltage", Path: "UPS.PowerConverter.Input.[1].Phase.[3].Voltage", Format: "%.1f"},
	{Var: "input.L1-L2.voltage", Path: "UPS.PowerConverter.Input.[1].Phase.[12].Voltage", Format: "%.1f"},
	{Var: "input.L2-L3.voltage", Path: "UPS.PowerConverter.Input.[1].Phase.[23].Voltage", Format: "%.1f"},
	{Var: "input.L3-L1.voltage", Path: "UPS.PowerConverter.Input.[1].Phase.[31].Voltage", Format: "%.1f"},
	{Var: "input.voltage.nominal", Path: "UPS.Flow.[1].ConfigVoltage", Format: "%.0f", HID: HIDStatic},
	{Var: "input.current", Path: "UPS.PowerConverter.Input.[1].Current", Format: "%.2f"},
	{Var: "input.L1.current", Path: "UPS.PowerConverter.Input.[1].Phase.[1].Current", Format: "%.1f"},
	{Var: "input.L2.current", Path: "UPS.PowerConverter.Input.[1].Phase.[2].Current", Format: "%.1f"},
	{Var: "input.L3.current", Path: "UPS.PowerConverter.Input.[1].Phase.[3].Current", Format: "%.1f"},
	{Var: "input.current.nominal", Path: "UPS.Flow.[1].ConfigCurrent", Format: "%.2f", HID: HIDStatic},
	{Var: "input.frequency", Path: "UPS.PowerConverter.Input.[1].Frequency", Format: "%.1f"},
	{Var: "input.frequency.nominal", Path: "UPS.Flow.[1].ConfigFrequency", Format: "%.0f", HID: HIDStatic},
	{Var: "input.transfer.low", Flags: state.RW | state.String, Len: 5, Path: "UPS.PowerConverter.Output.LowVoltageTransfer", Format: "%.0f", HID: HIDSemiStatic},
	{Var: "input.transfer.boost.low", Flags: state.RW | state.String, Len: 5, Path: "UPS.PowerConverter.Output.LowVoltageBoostTransfer", Format: "%.0f", HID: HIDSemiStatic},
	{Var: "input.transfer.boost.high", Flags: state.RW | state.String, Len: 5, Path: "UPS.PowerConverter.Output.HighVoltageBoostTransfer", Format: "%.0f", HID: HIDSemiStatic},
	{Var: "input.transfer.trim.low", Flags: state.RW | state.String, Len: 5, Path: "UPS.PowerConverter.Output.LowVoltageBuckTransfer", Format: "%.0f", HID: HIDSemiStatic},
	{Var: "input.transfer.high", Flags: state.RW | state.String, Len: 5, Path: "UPS.PowerConverter.Output.HighVoltageTransfer", Format: "%.0f", HID: HIDSemiStatic},
	{Var: "input.transfer.trim.high", Flags: state.RW | state.String, Len: 5, Path: "UPS.PowerConverter.Output.HighVoltageBuckTransfer", Format: "%.0f", HID: HIDSemiStatic},
	{Var: "input.sensitivity", Flags: state.RW | state.String, Len: 10, Path: "UPS.PowerConverter.Output.SensitivityMode", Format: "%s", HID: HIDSemiStatic, Lookup: mgeSensitivityInfo},
	{Var: "input.voltage.extended", Flags: state.RW | state.String, Len: 5, Path: "UPS.PowerConverter.Output.ExtendedVoltageMode", Format: "%s", HID: HIDSemiStatic, Lookup: YesNoInfo},
	{Var: "input.frequency.extended", Flags: state.RW | state.String, Len: 5, Path: "UPS.PowerConverter.Output.ExtendedFrequencyMode", Format: "%s", HID: HIDSemiStatic, Lookup: YesNoInfo},
	{Var: "input.bypass.voltage", Path: "UPS.PowerConverter.Input.[2].Voltage", Format: "%.1f"},
	{Var: "input.bypass.L1-N.voltage", Path: "UPS.PowerConverter.Input.[2].Phase.[1].Voltage", Format: "%.1f"},
	{Var: "input.bypass.L2-N.voltage", Path: "UPS.PowerConverter.Input.[2].Phase.[2].Voltage", Format: "%.1f"},
	{Var: "input.bypass.L3-N.voltage", Path: "UPS.PowerConverter.Input.[2].Phase.[3].Voltage", Format: "%.1f"},
	{Var: "input.bypass.L1-L2.voltage", Path: "UPS.PowerConverter.Input.[2].Phase.[12].Voltage", Format: "%.1f"},
	{Var: "input.bypass.L2-L3.voltage", Path: "UPS.PowerConverter.Input.[2].Phase.[23].Voltage", Format: "%.1f"},
	{Var: "input.bypass.L3-L1.voltage", Path: "UPS.PowerConverter.Input.[2].Phase.[31].Voltage", Format: "%.1f"},
	{Var: "input.bypass.voltage.nominal", Path: "UPS.Flow.[2].ConfigVoltage", Format: "%.0f", HID: HIDStatic},
	{Var: "input.bypass.current", Path: "UPS.PowerConverter.Input.[2].Current", Format: "%.2f"},
	{Var: "input.bypass.L1.current", Path: "UPS.PowerConverter.Input.[2].Phase.[1].Current", Format: "%.1f"},
	{Var: "input.bypass.L2.current", Path: "UPS.PowerConverter.Input.[2].Phase.[2].Current", Format: "%.1f"},
	{Var: "input.bypass.L3.current", Path: "UPS.PowerConverter.Input.[2].Phase.[3].Current", Format: "%.1f"},
	{Var: "input.bypass.current.nominal", Path: "UPS.Flow.[2].ConfigCurrent", Format: "%.2f", HID: HIDStatic},
	{Var: "input.bypass.frequency", Path: "UPS.PowerConverter.Input.[2].Frequency", Format: "%.1f"},
	{Var: "input.bypass.frequency.nominal", Path: "UPS.Flow.[2].ConfigFrequency", Format: "%.0f", HID: HIDStatic},
	{Var: "output.voltage", Path: "UPS.PowerConverter.Output.Voltage", Format: "%.1f"},
	{Var: "output.L1-N.voltage", Path: "UPS.PowerConverter.Output.Phase.[1].Voltage", Format: "%.1f"},
	{Var: "output.L2-N.voltage", Path: "UPS.PowerConverter.Output.Phase.[2].Voltage", Format: "%.1f"},
	{Var: "output.L3-N.voltage", Path: "UPS.PowerConverter.Output.Phase.[3].Voltage", Format: "%.1f"},
	{Var: "output.L1-L2.voltage", Path: "UPS.PowerConverter.Output.Phase.[12].Voltage", Format: "%.1f"},
	{Var: "output.L2-L3.voltage", Path: "UPS.PowerConverter.Output.Phase.[23].Voltage", Format: "%.1f"},
	{Var: "output.L3-L1.voltage", Path: "UPS.PowerConverter.Output.Phase.[31].Voltage", Format: "%.1f"},
	{Var: "output.voltage.nominal", Flags: state.RW | state.String, Len: 3, Path: "UPS.Flow.[4].ConfigVoltage", Format: "%.0f", HID: HIDSemiStatic | HIDEnum, Lookup: nominalOutputVoltageInfo},
	{Var: "output.current", Path: "UPS.PowerConverter.Output.Current", Format: "%.2f"},
	{Var: "output.L1.current", Path: "UPS.PowerConverter.Output.Phase.[1].Current", Format: "%.1f"},
	{Var: "output.L2.current", Path: "UPS.PowerConverter.Output.Phase.[2].Current", Format: "%.1f"},
	{Var: "output.L3.current", Path: "UPS.PowerConverter.Output.Phase.[3].Current", Format: "%.1f"},
	{Var: "output.current.nominal", Path: "UPS.Flow.[4].ConfigCurrent", Format: "%.2f"},
	{Var: "output.frequency", Path: "UPS.PowerConverter.Output.Frequency", Format: "%.1f"},
	{Var: "output.frequency.nominal", Path: "UPS.Flow.[4].ConfigFrequency", Format: "%.0f", HID: HIDStatic},
	{Var: "output.powerfactor", Path: "UPS.PowerConverter.Output.PowerFactor", Format: "%s", Lookup: mgePowerFactorConversion},
	{Var: "outlet.id", Path: "UPS.OutletSystem.Outlet.[1].OutletID", Format: "%.0f", HID: HIDStatic},
	{Var: "outlet.desc", Flags: state.RW | state.String, Len: 20, Path: "UPS.OutletSystem.Outlet.[1].OutletID", Format: "Main Outlet", HID: HIDAbsent},
	{Var: "outlet.switchable", Path: "UPS.OutletSystem.Outlet.[1].PresentStatus.Switchable", Format: "%s", HID: HIDStatic, Lookup: YesNoInfo},
	{Var: "outlet.power", Flags: state.RW | state.String, Len: 6, Path: "UPS.OutletSystem.Outlet.[1].ConfigApparentPower", Format: "%s", HID: HIDSemiStatic | HIDEnum, Lookup: pegasusThresholdInfo},
	{Var: "outlet.power", Path: "UPS.OutletSystem.Outlet.[1].ApparentPower", Format: "%.0f"},
	{Var: "outlet.realpower", Path: "UPS.OutletSystem.Outlet.[1].ActivePower", Format: "%.0f"},
	{Var: "outlet.current", Path: "UPS.OutletSystem.Outlet.[1].Current", Format: "%.2f"},
	{Var: "outlet.powerfactor", Path: "UPS.OutletSystem.Outlet.[1].PowerFactor", Format: "%.2f"},
	{Var: "outlet.1.id", Path: "UPS.OutletSystem.Outlet.[2].OutletID", Format: "%.0f", HID: HIDStatic},
	{Var: "outlet.1.desc", Flags: state.RW | state.String, Len: 20, Path: "UPS.OutletSystem.Outlet.[2].OutletID", Format: "PowerShare Outlet 1", HID: HIDAbsent},
	{Var: "outlet.1.switchable", Path: "UPS.OutletSystem.Outlet.[2].PresentStatus.Switchable", Format: "%s", HID: HIDStatic, Lookup: YesNoInfo},
	{Var: "outlet.1.status", Path: "UPS.OutletSystem.Outlet.[2].PresentStatus.SwitchOn/Off", Format: "%s", Lookup: OnOffInfo},
	{Var: "outlet.1.status", Path: "UPS.PowerSummary.PresentStatus.ACPresent", Format: "%s", Lookup: OnOffInfo},
	{Var: "outlet.1.autoswitch.charge.low", Flags: state.RW | state.String, Len: 3, Path: "UPS.OutletSystem.Outlet.[2].RemainingCapacityLimit", Format: "%.0f", HID: HIDSemiStatic},
	{Var: "outlet.1.delay.shutdown", Flags: state.RW | state.String, Len: 5, Path: "UPS.OutletSystem.Outlet.[2].ShutdownTimer", Format: "%.0f", HID: HIDSemiStatic},
	{Var: "outlet.1.delay.start", Flags: state.RW | state.String, Len: 5, Path: "UPS.OutletSystem.Outlet.[2].StartupTimer", Format: "%.0f", HID: HIDSemiStatic},
	{Var: "outlet.1.power", Path: "UPS.OutletSystem.Outlet.[2].ApparentPower", Format: "%.0f"},
	{Var: "outlet.1.realpower", Path: "UPS.OutletSystem.Outlet.[2].ActivePower", Format: "%.0f"},
	{Var: "outlet.1.current", Path: "UPS.OutletSystem.Outlet.[2].Current", Format: "%.2f"},
	{Var: "outlet.1.powerfactor", Path: "UPS.OutletSystem.Outlet.[2].PowerFactor", Format: "%.2f"},
	{Var: "outlet.2.id", Path: "UPS.OutletSystem.Outlet.[3].OutletID", Format: "%.0f", HID: HIDStatic},
	{Var: "outlet.2.desc", Flags: state.RW | state.String, Len: 20, Path: "UPS.OutletSystem.Outlet.[3].OutletID", Format: "PowerShare Outlet 2", HID: HIDAbsent},
	{Var: "outlet.2.switchable", Flags: state.RW | state.String, Len: 3, Path: "UPS.OutletSystem.Outlet.[3].PresentStatus.Switchable", Format: "%s", HID: HIDSemiStatic, Lookup: pegasusYesNoInfo},
	{Var: "outlet.2.switchable", Path: "UPS.OutletSystem.Outlet.[3].PresentStatus.Switchable", Format: "%s", Lookup: YesNoInfo},
	{Var: "outlet.2.status", Path: "UPS.OutletSystem.Outlet.[3].PresentStatus.SwitchOn/Off", Format: "%s", Lookup: OnOffInfo},
	{Var: "outlet.2.autoswitch.charge.low", Flags: state.RW | state.String, Len: 3, Path: "UPS.OutletSystem.Outlet.[3].RemainingCapacityLimit", Format: "%.0f", HID: HIDSemiStatic},
	{Var: "outlet.2.delay.shutdown", Flags: state.RW | state.String, Len: 5, Path: "UPS.OutletSystem.Outlet.[3].ShutdownTimer", Format: "%.0f", HID: HIDSemiStatic},
	{Var: "outlet.2.delay.start", Flags: state.RW | state.String, Len: 5, Path: "UPS.OutletSystem.Outlet.[3].StartupTimer", Format: "%.0f", HID: HIDSemiStatic},
	{Var: "outlet.2.power", Path: "UPS.OutletSystem.Outlet.[3].ApparentPower", Format: "%.0f"},
	{Var: "outlet.2.realpower", Path: "UPS.OutletSystem.Outlet.[3].ActivePower", Format: "%.0f"},
	{Var: "outlet.2.current", Path: "UPS.OutletSystem.Outlet.[3].Current", Format: "%.2f"},
	{Var: "outlet.2.powerfactor", Path: "UPS.OutletSystem.Outlet.[3].PowerFactor", Format: "%.2f"},
	{Var: "test.battery.start.quick", Path: "UPS.BatterySystem.Battery.Test", Format: "1", HID: HIDCommand},
	{Var: "test.battery.start.deep", Path: "UPS.BatterySystem.Battery.Test", Format: "2", HID: HIDCommand},
	{Var: "test.battery.stop", Path: "UPS.BatterySystem.Battery.Test", Format: "3", HID: HIDCommand},
	{Var: "load.off.delay", Path: "UPS.PowerSummary.DelayBeforeShutdown", Format: defaultOffDelay, HID: HIDCommand},
	{Var: "load.on.delay", Path: "UPS.PowerSummary.DelayBeforeStartup", Format: defaultOnDelay, HID: HIDCommand},
	{Var: "shutdown.stop", Path: "UPS.PowerSummary.DelayBeforeShutdown", Format: "-1", HID: HIDCommand},
	{Var: "shutdown.reboot", Path: "UPS.PowerSummary.DelayBeforeReboot", Format: "10", HID: HIDCommand},
	{Var: "beeper.off", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "1", HID: HIDCommand},
	{Var: "beeper.on", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "2", HID: HIDCommand},
	{Var: "beeper.mute", Path: "UPS.BatterySystem.Battery.AudibleAlarmControl", Format: "3", HID: HIDCommand},
	{Var: "beeper.mute", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "3", HID: HIDCommand},
	{Var: "beeper.disable", Path: "UPS.BatterySystem.Battery.AudibleAlarmControl", Format: "1", HID: HIDCommand},
	{Var: "beeper.disable", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "1", HID: HIDCommand},
	{Var: "beeper.enable", Path: "UPS.BatterySystem.Battery.AudibleAlarmControl", Format: "2", HID: HIDCommand},
	{Var: "beeper.enable", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "2", HID: HIDCommand},
	{Var: "outlet.1.load.off", Path: "UPS.OutletSystem.Outlet.[2].DelayBeforeShutdown", Format: "0", HID: HIDCommand},
	{Var: "outlet.1.load.on", Path: "UPS.OutletSystem.Outlet.[2].DelayBeforeStartup", Format: "0", HID: HIDCommand},
	{Var: "outlet.2.load.off", Path: "UPS.OutletSystem.Outlet.[3].DelayBeforeShutdown", Format: "0", HID: HIDCommand},
	{Var: "outlet.2.load.on", Path: "UPS.OutletSystem.Outlet.[3].DelayBeforeStartup", Format: "0", HID: HIDCommand},
}

// MGE's and Eaton's lookups and conversions (mge-hid.c).
var (
	// eatonABMEnabledInfo remembers whether ABM is on; it publishes
	// nothing.
	eatonABMEnabledInfo = &Lookup{Name: "eaton_abm_enabled_info", Pairs: []Pair{{0, "dummy"}},
		ToNUT: func(c Context, v float64) (string, bool) {
			c.State().mgeABM = int(v)
			return "", false
		}}
	// eatonABMStatusInfo is the ABM charger's state, unless ABM is off
	// (which withdraws any state published before).
	eatonABMStatusInfo = &Lookup{Name: "eaton_abm_status_info", Pairs: []Pair{{1, "dummy"}},
		ToNUT: func(c Context, v float64) (string, bool) {
			if c.State().mgeABM == abmDisabled {
				c.Delete("battery.charger.status")
				return "", false
			}
			s, ok := map[int64]string{1: "charging", 2: "discharging", 3: "floating", 4: "resting", 6: "off"}[int64(v)]
			return s, ok
		}}
	// eatonABMChrgDischrgInfo: with ABM on, the charger's state gives
	// CHRG (charging, floating) and DISCHRG.
	eatonABMChrgDischrgInfo = &Lookup{Name: "eaton_abm_chrg_dischrg_info", Pairs: []Pair{{1, "dummy"}},
		ToNUT: func(c Context, v float64) (string, bool) {
			if c.State().mgeABM == abmDisabled {
				return "", false
			}
			s, ok := map[int64]string{1: "chrg", 3: "chrg", 2: "dischrg"}[int64(v)]
			return s, ok
		}}
	// eatonDischargingInfo and eatonChargingInfo: the standard flags,
	// with ABM off; with ABM on, the flags are cleared (the charger's
	// state sets them).
	eatonDischargingInfo = &Lookup{Name: "eaton_discharging_info", Pairs: []Pair{{1, "dummy"}},
		ToNUT: func(c Context, v float64) (string, bool) { return abmCheck(c, v, "dischrg"), true }}
	eatonChargingInfo = &Lookup{Name: "eaton_charging_info", Pairs: []Pair{{1, "dummy"}},
		ToNUT: func(c Context, v float64) (string, bool) { return abmCheck(c, v, "chrg"), true }}

	// mgeDateConversion and mgeTimeConversion split the UPS's clock, in
	// seconds since 1970, into ups.date and ups.time in local time;
	// written back, each is joined with the other.
	mgeDateConversion = &Lookup{Name: "mge_date_conversion",
		ToNUT: func(_ Context, v float64) (string, bool) { return unixFormat(v, "2006/01/02") },
		ToHID: func(c Context, s string) (float64, bool) {
			t, _ := c.Var("ups.time")
			return unixParse(s + " " + t)
		}}
	mgeTimeConversion = &Lookup{Name: "mge_time_conversion",
		ToNUT: func(_ Context, v float64) (string, bool) { return unixFormat(v, "15:04:05") },
		ToHID: func(c Context, s string) (float64, bool) {
			d, _ := c.Var("ups.date")
			return unixParse(d + " " + s)
		}}

	// mgeBatteryVoltageNominal: UPS.PowerSummary.ConfigVoltage is the
	// battery's nominal voltage on Evolution, Pulsar M and 5P models
	// only, and the Evolution 650's is 12 V whatever it says.
	mgeBatteryVoltageNominal = &Lookup{Name: "mge_battery_voltage_nominal", ToNUT: func(c Context, v float64) (string, bool) {
		switch m := c.State().mgeType; m.series() {
		case mgeEvolution:
			if m == mgeEvolution650 {
				v = 12
			}
		case mgePulsarM, eaton5P:
		default:
			return "", false
		}
		return strconv.FormatFloat(v, 'f', 0, 64), true
	}}
	// mgeBatteryVoltage: UPS.PowerSummary.Voltage is the battery's
	// voltage on the same models only.
	mgeBatteryVoltage = &Lookup{Name: "mge_battery_voltage", ToNUT: func(c Context, v float64) (string, bool) {
		switch c.State().mgeType.series() {
		case mgeEvolution, mgePulsarM, eaton5P:
			return strconv.FormatFloat(v, 'f', 1, 64), true
		}
		return "", false
	}}
	mgePowerFactorConversion = &Lookup{Name: "mge_powerfactor_conversion", ToNUT: func(_ Context, v float64) (string, bool) {
		return strconv.FormatFloat(v/100, 'f', 2, 64), true
	}}
	// mgeBatteryCapacity: ampere-seconds to ampere-hours.
	mgeBatteryCapacity = &Lookup{Name: "mge_battery_capacity", ToNUT: func(_ Context, v float64) (string, bool) {
		return strconv.FormatFloat(v/3600, 'f', 2, 64), true
	}}

	eatonEnableDisableInfo = &Lookup{Name: "eaton_enable_disable_info", Pairs: []Pair{{0, "disabled"}, {1, "enabled"}}}
	mgeUPSTypeConversion   = &Lookup{Name: "mge_upstype_conversion", Pairs: []Pair{
		{1, "offline / line interactive"}, {2, "online"}, {3, "online - unitary/parallel"},
		{4, "online - parallel with hot standy"}, {5, "online - hot standby redundancy"}}}
	mgeSensitivityInfo = &Lookup{Name: "mge_sensitivity_info", Pairs: []Pair{{0, "normal"}, {1, "high"}, {2, "low"}}}

	// The alarms of ups.alarm.
	mgeEmergencyStop  = &Lookup{Name: "mge_emergency_stop", Pairs: []Pair{{1, "Emergency stop!"}}}
	mgeWiringFault    = &Lookup{Name: "mge_wiring_fault", Pairs: []Pair{{1, "Wiring fault!"}}}
	mgeConfigFailure  = &Lookup{Name: "mge_config_failure", Pairs: []Pair{{1, "Fatal EEPROM fault!"}}}
	mgeInverterVoltHi = &Lookup{Name: "mge_inverter_volthi", Pairs: []Pair{{1, "Inverter AC voltage too high!"}}}
	mgeInverterVoltLo = &Lookup{Name: "mge_inverter_voltlo", Pairs: []Pair{{1, "Inverter AC voltage too low!"}}}
	mgeShortCircuit   = &Lookup{Name: "mge_short_circuit", Pairs: []Pair{{1, "Output short circuit!"}}}

	// mgeOnBattInfo: the battery converter in use, or the input voltage
	// too low, means on battery.
	mgeOnBattInfo = &Lookup{Name: "mge_onbatt_info", Pairs: []Pair{{1, "!online"}, {0, "online"}}}

	// pegasusThresholdInfo: the master outlet's power threshold below
	// which the others are switched off (10, 25 or 60 VA), on Protection
	// Station, Ellipse ECO and 3S 700/750 (non-European) units only.
	pegasusThresholdInfo = &Lookup{Name: "pegasus_threshold_info", Pairs: []Pair{{10, "10"}, {25, "25"}, {60, "60"}},
		ToNUT: func(c Context, v float64) (string, bool) {
			if !pegasus(c.State()) {
				return "", false
			}
			return strconv.FormatFloat(v, 'f', 0, 64), true
		}}
	// pegasusYesNoInfo: yes or no, on the same units only (written back
	// as 0 on others, as NUT does).
	pegasusYesNoInfo = &Lookup{Name: "pegasus_yes_no_info", Pairs: []Pair{{0, "no"}, {1, "yes"}},
		ToNUT: func(c Context, v float64) (string, bool) {
			if !pegasus(c.State()) {
				return "", false
			}
			if v == 0 {
				return "no", true
			}
			return "yes", true
		},
		ToHID: func(c Context, s string) (float64, bool) {
			if pegasus(c.State()) && strings.HasPrefix(s, "yes") {
				return 1, true
			}
			return 0, true
		}}

	// eatonCheckCountryInfo remembers the country code; it publishes
	// nothing.
	eatonCheckCountryInfo = &Lookup{Name: "eaton_check_country_info", Pairs: []Pair{{0, "dummy"}},
		ToNUT: func(c Context, v float64) (string, bool) {
			c.State().mgeCountry = int(v)
			return "", false
		}}
	// eatonComputeRealPowerInfo: without UPS.PowerConverter.Output.ActivePower,
	// the real power is the load times the nominal apparent power times
	// the power factor (output.powerfactor, or 0.8). NUT 2.8.0 reads the
	// power factor as an integer, which makes it 0 once the power
	// factor is published; it is read as the number it is here, as NUT
	// does since 2.8.1.
	eatonComputeRealPowerInfo = &Lookup{Name: "eaton_compute_realpower_info", Pairs: []Pair{{0, "dummy"}},
		ToNUT: func(c Context, _ float64) (string, bool) {
			load, ok1 := c.Var("ups.load")
			nominal, ok2 := c.Var("ups.power.nominal")
			if !ok1 || !ok2 {
				return "", false
			}
			pf := 0.80
			if s, ok := c.Var("output.powerfactor"); ok {
				pf = atof(s)
			}
			return strconv.FormatFloat(math.Round(float64(atoi(load))*0.01*float64(atoi(nominal))*pf), 'f', 0, 64), true
		}}

	// nominalOutputVoltageInfo: the nominal output voltages the unit may
	// be set to, from the first one read: low-voltage units 100 to 127 V,
	// high-voltage ones 200/208 and 220 to 240 V, offline models only
	// their own pair.
	nominalOutputVoltageInfo = &Lookup{Name: "nominal_output_voltage_info",
		Pairs: []Pair{{200, "200"}, {208, "208"}, {220, "220"}, {230, "230"}, {240, "240"},
			{100, "100"}, {110, "110"}, {120, "120"}, {127, "127"}},
		ToNUT: nominalOutputVoltage}

	// eatonConverterOnlineInfo: the input converter in use means on
	// line, unless the unit is off.
	eatonConverterOnlineInfo = &Lookup{Name: "eaton_converter_online_info", Pairs: []Pair{{0, "dummy"}},
		ToNUT: func(c Context, v float64) (string, bool) {
			switch {
			case c.Status("off"):
				return "", false
			case v == 0:
				return "!online", true
			}
			return "online", true
		}}
)

// abmCheck is the flag's own value with ABM off, and the flag cleared
// with ABM on or unknown.
func abmCheck(c Context, v float64, flag string) string {
	if c.State().mgeABM == abmDisabled && v == 1 {
		return flag
	}
	return "!" + flag
}

// pegasus: the unit offers ECO mode and the master outlet's threshold.
func pegasus(st *State) bool {
	switch st.mgeType.series() {
	case mgePegasus:
		return true
	case mge3S:
		return st.mgeCountry != countryEurope
	}
	return false
}

// unixFormat formats a time in seconds since 1970 (the fraction dropped)
// in local time; a year beyond 9999 does not fit.
func unixFormat(v float64, layout string) (string, bool) {
	s := time.Unix(int64(v), 0).Format(layout)
	return s, len(s) == len(layout)
}

// unixParse reads "YYYY/MM/DD HH:MM:SS" in local time. NUT writes 0 (the
// UPS's clock set to 1970) for what it cannot read; it is refused here.
func unixParse(s string) (float64, bool) {
	t, err := time.ParseInLocation("2006/01/02 15:04:05", s, time.Local)
	if err != nil {
		return 0, false
	}
	return float64(t.Unix()), true
}

// nominalOutputVoltage accepts the voltages the unit can be set to, as
// the first one read (the unit's own) tells (nominal_output_voltage_fun).
func nominalOutputVoltage(c Context, v float64) (string, bool) {
	st := c.State()
	if !st.mgeNominalK {
		st.mgeNominal, st.mgeNominalK = int64(v), true
	}
	online := st.mgeType.series() >= mgeDefault
	ok := true
	switch value := int64(v); st.mgeNominal {
	case 100, 110, 120, 127:
		ok = value == 100 || value == 110 || value == 120 || value == 127
	case 200, 208:
		ok = value == 200 || value == 208 || online && (value == 220 || value == 230 || value == 240)
	case 220, 230, 240:
		ok = online && (value == 200 || value == 208) || value == 220 || value == 230 || value == 240
	}
	if !ok {
		return "", false
	}
	return strconv.FormatFloat(v, 'f', 0, 64), true
}

// atoi and atof read a number as C's atoi and atof do: the longest
// prefix that is one, 0 if none.
func atoi(s string) int64 {
	s = strings.TrimLeft(s, " \t\n\v\f\r")
	end := 0
	if end < len(s) && (s[end] == '-' || s[end] == '+') {
		end++
	}
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	n, _ := strconv.ParseInt(s[:end], 10, 64)
	return n
}

func atof(s string) float64 {
	s = strings.TrimLeft(s, " \t\n\v\f\r")
	for end := len(s); end > 0; end-- {
		if f, err := strconv.ParseFloat(s[:end], 64); err == nil {
			return f
		}
	}
	return 0
}

// mgeModels are the names NUT gives MGE's and Eaton's models, from the
// product string and UPS.PowerSummary.iModel, and their families; a
// model not listed is named "<product> <model>" (mge-hid.c's
// mge_model_names).
var mgeModels = []struct {
	product, model string
	family         mgeModel
	name           string
}{
	{"ELLIPSE", "300", mgeDefaultOffline, "ellipse 300"},
	{"ELLIPSE", "500", mgeDefaultOffline, "ellipse 500"},
	{"ELLIPSE", "650", mgeDefaultOffline, "ellipse 650"},
	{"ELLIPSE", "800", mgeDefaultOffline, "ellipse 800"},
	{"ELLIPSE", "1200", mgeDefaultOffline, "ellipse 1200"},
	{"ellipse", "PR500", mgeDefaultOffline, "ellipse premium 500"},
	{"ellipse", "PR650", mgeDefaultOffline, "ellipse premium 650"},
	{"ellipse", "PR800", mgeDefaultOffline, "ellipse premium 800"},
	{"ellipse", "PR1200", mgeDefaultOffline, "ellipse premium 1200"},
	{"ELLIPSE", "600", mgeDefaultOffline, "Ellipse 600"},
	{"ELLIPSE", "750", mgeDefaultOffline, "Ellipse 750"},
	{"ELLIPSE", "1000", mgeDefaultOffline, "Ellipse 1000"},
	{"ELLIPSE", "1500", mgeDefaultOffline, "Ellipse 1500"},
	{"Ellipse MAX", "600", mgeDefaultOffline, ""},
	{"Ellipse MAX", "850", mgeDefaultOffline, ""},
	{"Ellipse MAX", "1100", mgeDefaultOffline, ""},
	{"Ellipse MAX", "1500", mgeDefaultOffline, ""},
	{"PROTECTIONCENTER", "420", mgeDefaultOffline, "Protection Center 420"},
	{"PROTECTIONCENTER", "500", mgeDefaultOffline, "Protection Center 500"},
	{"PROTECTIONCENTER", "675", mgeDefaultOffline, "Protection Center 675"},
	{"Protection Station", "500", mgePegasus, ""},
	{"Protection Station", "650", mgePegasus, ""},
	{"Protection Station", "800", mgePegasus, ""},
	{"Ellipse ECO", "650", mgePegasus, ""},
	{"Ellipse ECO", "800", mgePegasus, ""},
	{"Ellipse ECO", "1200", mgePegasus, ""},
	{"Ellipse ECO", "1600", mgePegasus, ""},
	{"3S", "450", mgeDefaultOffline, ""},
	{"3S", "550", mgeDefaultOffline, ""},
	{"3S", "700", mge3S, ""},
	{"3S", "750", mge3S, ""},
	{"Evolution", "500", mgeDefault, "Pulsar Evolution 500"},
	{"Evolution", "800", mgeDefault, "Pulsar Evolution 800"},
	{"Evolution", "1100", mgeDefault, "Pulsar Evolution 1100"},
	{"Evolution", "1500", mgeDefault, "Pulsar Evolution 1500"},
	{"Evolution", "2200", mgeDefault, "Pulsar Evolution 2200"},
	{"Evolution", "3000", mgeDefault, "Pulsar Evolution 3000"},
	{"Evolution", "3000XL", mgeDefault, "Pulsar Evolution 3000 XL"},
	{"Evolution", "650", mgeEvolution650, ""},
	{"Evolution", "850", mgeEvolution, ""},
	{"Evolution", "1150", mgeEvolution, ""},
	{"Evolution", "S 1250", mgeEvolution, ""},
	{"Evolution", "1550", mgeEvolution, ""},
	{"Evolution", "S 1750", mgeEvolution, ""},
	{"Evolution", "2000", mgeEvolution, ""},
	{"Evolution", "S 2500", mgeEvolution, ""},
	{"Evolution", "S 3000", mgeEvolution, ""},
	{"Eaton 5P", "650", eaton5P, "5P 650"},
	{"Eaton 5P", "850", eaton5P, "5P 850"},
	{"Eaton 5P", "1150", eaton5P, "5P 1150"},
	{"Eaton 5P", "1550", eaton5P, "5P 1550"},
	{"PULSAR M", "2200", mgePulsarM, ""},
	{"PULSAR M", "3000", mgePulsarM, ""},
	{"PULSAR M", "3000 XL", mgePulsarM, ""},
	{"EX", "2200", mgePulsarM, ""},
	{"EX", "3000", mgePulsarM, ""},
	{"EX", "3000 XL", mgePulsarM, ""},
	{"PULSAR", "MX4000", mgeDefault, "Pulsar MX 4000 RT"},
	{"PULSAR", "MX5000", mgeDefault, "Pulsar MX 5000 RT"},
	{"NOVA AVR", "500", mgeDefault, "Nova 500 AVR"},
	{"NOVA AVR", "600", mgeDefault, "Nova 600 AVR"},
	{"NOVA AVR", "625", mgeDefault, "Nova 625 AVR"},
	{"NOVA AVR", "1100", mgeDefault, "Nova 1100 AVR"},
	{"NOVA AVR", "1250", mgeDefault, "Nova 1250 AVR"},
	{"EXtreme", "700C", mgeDefault, "Pulsar EXtreme 700C"},
	{"EXtreme", "1000C", mgeDefault, "Pulsar EXtreme 1000C"},
	{"EXtreme", "1500C", mgeDefault, "Pulsar EXtreme 1500C"},
	{"EXtreme", "1500CCLA", mgeDefault, "Pulsar EXtreme 1500C CLA"},
	{"EXtreme", "2200C", mgeDefault, "Pulsar EXtreme 2200C"},
	{"EXtreme", "3200C", mgeDefault, "Pulsar EXtreme 3200C"},
	{"EX", "700RT", mgeDefault, "Pulsar EX 700 RT"},
	{"EX", "1000RT", mgeDefault, "Pulsar EX 1000 RT"},
	{"EX", "1500RT", mgeDefault, "Pulsar EX 1500 RT"},
	{"EX", "2200RT", mgeDefault, "Pulsar EX 2200 RT"},
	{"EX", "3200RT", mgeDefault, "Pulsar EX 3200 RT"},
	{"EX", "5RT31", mgeDefault, "EX 5 RT 3:1"},
	{"EX", "7RT31", mgeDefault, "EX 7 RT 3:1"},
	{"EX", "11RT31", mgeDefault, "EX 11 RT 3:1"},
	{"EX", "5RT", mgeDefault, "EX 5 RT"},
	{"EX", "7RT", mgeDefault, "EX 7 RT"},
	{"EX", "11RT", mgeDefault, "EX 11 RT"},
	{"GALAXY", "3000_10", mgeDefault, "Galaxy 3000 10 kVA"},
	{"GALAXY", "3000_15", mgeDefault, "Galaxy 3000 15 kVA"},
	{"GALAXY", "3000_20", mgeDefault, "Galaxy 3000 20 kVA"},
	{"GALAXY", "3000_30", mgeDefault, "Galaxy 3000 30 kVA"},
}

// labelsMGE (mge_format_model): Dell's product string is its model name;
// others are named from their product string and model
// (UPS.PowerSummary.iModel, or the nominal apparent power), which also
// tell the model's family, kept in the state for the conversions.
func labelsMGE(s *Subdriver, c Context) Labels {
	l := labelsDefault(s, c)
	dev := c.State().Device()
	if dev.VendorID == vendorDell {
		return l
	}
	product := dev.Product
	if product == "" {
		product = "unknown"
	}
	model := indexedString(c, "UPS.PowerSummary.iModel")
	if model == "" {
		if va, ok := c.Value("UPS.Flow.[4].ConfigApparentPower"); ok {
			model = fmt.Sprint(int64(va))
		}
	}
	if model == "" {
		return l
	}
	for _, m := range mgeModels {
		if m.product == product && m.model == model {
			c.State().mgeType = m.family
			if m.name != "" {
				l.Model = m.name
				return l
			}
			break
		}
	}
	l.Model = product + " " + model
	return l
}
