package subdriver

import (
	"strconv"
)

// openupsInfo is openups-hid.c's table (NUT 2.8.0's openups_hid2nut), row
// for row.
var openupsInfo = []Info{
	{Var: "ups.serial", Path: "UPS.PowerSummary.iSerialNumber", Format: "%s", Lookup: StringIDConversion},
	{Var: "battery.type", Path: "UPS.PowerSummary.iDeviceChemistry", Format: "%s", HID: HIDStatic, Lookup: StringIDConversion},
	{Var: "battery.mfr.date", Path: "UPS.PowerSummary.iOEMInformation", Format: "%s", HID: HIDStatic, Lookup: StringIDConversion},
	{Var: "battery.voltage", Path: "UPS.PowerSummary.Voltage", Format: "%.2f", HID: HIDQuickPoll},
	{Var: "battery.current", Path: "UPS.PowerSummary.Current", Format: "%.3f", HID: HIDQuickPoll},
	{Var: "battery.capacity", Path: "UPS.PowerSummary.DesignCapacity", Format: "%.0f", HID: HIDStatic},
	{Var: "battery.charge", Path: "UPS.PowerSummary.RemainingCapacity", Format: "%.0f", HID: HIDQuickPoll},
	{Var: "battery.charge.low", Path: "UPS.PowerSummary.RemainingCapacityLimit", Format: "%.0f", HID: HIDQuickPoll},
	{Var: "battery.charge.warning", Path: "UPS.PowerSummary.WarningCapacityLimit", Format: "%.0f"},
	{Var: "battery.runtime", Path: "UPS.PowerSummary.RunTimeToEmpty", Format: "%.0f", HID: HIDQuickPoll},
	{Var: "battery.temperature", Path: "UPS.PowerSummary.Temperature", HID: HIDQuickPoll, Lookup: openupsTemperatureInfo},
	{Var: "output.voltage", Path: "UPS.PowerSummary.Output.Voltage", HID: HIDQuickPoll, Lookup: openupsVOutInfo},
	{Var: "output.current", Path: "UPS.PowerSummary.Output.Current", HID: HIDQuickPoll, Lookup: openupsCDischargeInfo},
	{Var: "input.voltage", Path: "UPS.PowerSummary.Input.Voltage", HID: HIDQuickPoll, Lookup: openupsVInInfo},
	{Var: "input.current", Path: "UPS.PowerSummary.Input.Current", HID: HIDQuickPoll, Lookup: openupsCChargeInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.Good", HID: HIDQuickPoll, Lookup: openupsOffInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.InternalFailure", HID: HIDQuickPoll, Lookup: CommFaultInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.Overload", HID: HIDQuickPoll, Lookup: OverloadInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.OverTemperature", HID: HIDQuickPoll, Lookup: OverheatInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.ShutdownImminent", HID: HIDQuickPoll, Lookup: ShutdownImmInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.BelowRemainingCapacityLimit", HID: HIDQuickPoll, Lookup: LowBattInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.RemainingTimeLimitExpired", HID: HIDQuickPoll, Lookup: TimeLimitExpiredInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.Charging", HID: HIDQuickPoll, Lookup: openupsChargingInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.Discharging", HID: HIDQuickPoll, Lookup: openupsDischargingInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.NeedReplacement", Lookup: ReplaceBattInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.ACPresent", HID: HIDQuickPoll, Lookup: openupsOnlineInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.BatteryPresent", HID: HIDQuickPoll, Lookup: openupsNoBatteryInfo},
}

// openUPS's conversions (openups-hid.c): its status flags are set by any
// value but 0, its voltages and currents are scaled by factors of the
// model (d004 and d005), and its temperature is a thermistor reading.
var (
	openupsChargingInfo    = nonZeroFlag("openups_charging_info", "chrg")
	openupsDischargingInfo = nonZeroFlag("openups_discharging_info", "dischrg")
	openupsOnlineInfo      = nonZeroFlag("openups_online_info", "online")
	openupsNoBatteryInfo   = nonZeroFlag("openups_nobattery_info", "nobattery")
	openupsOffInfo         = &Lookup{Name: "openups_off_info", ToNUT: func(_ Context, v float64) (string, bool) {
		if v != 0 {
			return "!off", true
		}
		return "off", true
	}}
	openupsVInInfo         = openupsScaled("openups_vin_info", 2, func(s openupsScale) float64 { return s.vin })
	openupsVOutInfo        = openupsScaled("openups_vout_info", 2, func(s openupsScale) float64 { return s.vout })
	openupsCChargeInfo     = openupsScaled("openups_ccharge_info", 3, func(s openupsScale) float64 { return s.ccharge })
	openupsCDischargeInfo  = openupsScaled("openups_cdischarge_info", 3, func(s openupsScale) float64 { return s.cdischarge })
	openupsTemperatureInfo = &Lookup{Name: "openups_temperature_info", ToNUT: openupsTemperature}
)

// openupsScale are the factors of a model's input and output voltages and
// charge and discharge currents.
type openupsScale struct{ vin, vout, ccharge, cdischarge float64 }

// The d004's factors, computed in float64 as NUT computes them in double
// (Go's constant arithmetic would round them once only).
var openupsD004 = [...]float64{0.03545, 0.02571, 0.8274, 16.113}

func openupsScales(dev Device) openupsScale {
	if dev.VendorID == 0x04d8 {
		switch dev.ProductID {
		case 0xd004:
			f := openupsD004
			return openupsScale{f[0] * 100, f[1] * 100, f[2] / 10, f[3] / 10}
		case 0xd005:
			return openupsScale{0.1, 0.1, 0.1, 0.1}
		}
	}
	return openupsScale{1, 1, 1, 1}
}

func openupsScaled(name string, decimals int, factor func(openupsScale) float64) *Lookup {
	return scaled(name, decimals, func(c Context) float64 { return factor(openupsScales(c.State().Device())) })
}

// openupsThermistor are the thermistor's readings at -40 °C, -35 °C, ...
// 125 °C (the table of the openUPS monitoring program).
var openupsThermistor = []uint32{0x31, 0x40, 0x53, 0x68, 0x82, 0xa0, 0xc3, 0xe9, 0x113, 0x13f, 0x16e, 0x19f,
	0x1cf, 0x200, 0x22f, 0x25c, 0x286, 0x2ae, 0x2d3, 0x2f4, 0x312, 0x32d, 0x345, 0x35a, 0x36d, 0x37e,
	0x38c, 0x399, 0x3a5, 0x3af, 0x3b7, 0x3bf, 0x3c6, 0x3cc}

// openupsTemperature interpolates the thermistor table (its reading is
// the value times 100, in whole units), in °C.
func openupsTemperature(_ Context, v float64) (string, bool) {
	var th uint32
	if v > 0 {
		th = uint32(v * 100)
	}
	tbl := openupsThermistor
	switch {
	case th <= tbl[0]:
		return "-40", true
	case th >= tbl[len(tbl)-1]:
		return "125", true
	}
	pos := 0
	for i := len(tbl) - 1; i >= 0; i-- {
		if th >= tbl[i] {
			pos = i
			break
		}
	}
	if th == tbl[pos] {
		return strconv.Itoa(pos*5 - 40), true
	}
	t1, t2 := float64(pos*5-40), float64((pos+1)*5-40)
	return strconv.FormatFloat(float64(th-tbl[pos])*(t2-t1)/float64(tbl[pos+1]-tbl[pos])+t1, 'f', 2, 64), true
}
