package subdriver

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"

	"gonut/state"
)

// everInfo is ever-hid.c's table (NUT 2.8.0's ever_hid2nut), row for row.
// Some of its values are read from the raw bytes of a report.
var everInfo = []Info{
	{Var: "experimental.battery.batteryid", Path: "UPS.BatterySystem.Battery.BatteryID", Format: "%.0f"},
	{Var: "experimental.battery.systemid", Path: "UPS.BatterySystem.BatterySystemID", Format: "%.0f"},
	{Var: "experimental.battery.chargerid", Path: "UPS.BatterySystem.Charger.ChargerID", Format: "%.0f"},
	{Var: "experimental.battery.input_flowid", Path: "UPS.BatterySystem.Input.FlowID", Format: "%.0f"},
	{Var: "experimental.battery.input_id", Path: "UPS.BatterySystem.Input.InputID", Format: "%.0f"},
	{Var: "experimental.battery.output_flowid", Path: "UPS.BatterySystem.Output.FlowID", Format: "%.0f"},
	{Var: "experimental.battery.output_id", Path: "UPS.BatterySystem.Output.OutputID", Format: "%.0f"},
	{Var: "experimental.id.firmware_version_inverter", Path: "UPS.EVER1.EVER13", Format: "%s", Lookup: everFormatVersion},
	{Var: "experimental.id.firmware_version_interfaces", Path: "UPS.EVER1.EVER14", Format: "%s", Lookup: everFormatVersion},
	{Var: "experimental.id.hardware_version", Path: "UPS.EVER1.EVER15", Format: "%s", Lookup: everFormatHardware},
	{Var: "experimental.id.protocol_version_inverter", Path: "UPS.EVER1.EVER16", Format: "%s", Lookup: everFormatVersion},
	{Var: "experimental.id.protocol_version_interfaces", Path: "UPS.EVER1.EVER17", Format: "%s", Lookup: everFormatVersion},
	{Var: "ups.temperature", Path: "UPS.EVER1.EVER42", Format: "%s", Lookup: KelvinCelsiusConversion},
	{Var: "battery.temperature", Path: "UPS.EVER1.EVER43", Format: "%s", Lookup: KelvinCelsiusConversion},
	{Var: "powerfactor", Path: "UPS.EVER1.EVER44", Format: "%.0f"},
	{Var: "experimental.control.ups_on", Flags: state.RW | state.Number, Path: "UPS.EVER1.EVER45.EVER46", Format: "%.0f"},
	{Var: "experimental.control.clear_fault", Flags: state.RW | state.Number, Path: "UPS.EVER1.EVER45.EVER47", Format: "%.0f"},
	{Var: "experimental.control.clear_battery_fault", Flags: state.RW | state.Number, Path: "UPS.EVER1.EVER45.EVER48", Format: "%.0f"},
	{Var: "experimental.control.epo_blocked", Flags: state.RW | state.Number, Path: "UPS.EVER1.EVER49.EVER50", Format: "%.0f"},
	{Var: "experimental.control.green_mode", Flags: state.RW | state.Number, Path: "UPS.EVER1.EVER49.EVER51", Format: "%.0f"},
	{Var: "experimental.control.button_sound", Flags: state.RW | state.Number, Path: "UPS.EVER1.EVER49.EVER52", Format: "%.0f"},
	{Var: "experimental.control.audible_alarm", Flags: state.RW | state.Number, Path: "UPS.EVER1.EVER49.EVER53", Format: "%.0f"},
	{Var: "output.voltage", Flags: state.RW | state.String, Len: 3, Path: "UPS.EVER1.EVER54", Format: "%.0f"},
	{Var: "experimental.config.overload_clearance_threshold", Flags: state.RW | state.String, Len: 2, Path: "UPS.EVER1.EVER59", Format: "%.0f"},
	{Var: "experimental.config.stb_charge", Flags: state.RW | state.String, Len: 2, Path: "UPS.EVER1.EVER60", Format: "%.0f"},
	{Var: "battery.packs.external", Flags: state.RW | state.String, Len: 1, Path: "UPS.EVER1.EVER61", Format: "%.0f"},
	{Var: "experimental.statistics.mains_loss_counter", Path: "UPS.EVER1.EVER62", Format: "%.0f"},
	{Var: "experimental.statistics.lowering_AVR_trigger_counter", Path: "UPS.EVER1.EVER63", Format: "%.0f"},
	{Var: "experimental.statistics.rising_AVR_trigger_counter", Path: "UPS.EVER1.EVER64", Format: "%.0f"},
	{Var: "experimental.statistics.overload_counter", Path: "UPS.EVER1.EVER65", Format: "%.0f"},
	{Var: "experimental.statistics.short_circuit_counter", Path: "UPS.EVER1.EVER66", Format: "%.0f"},
	{Var: "experimental.statistics.discharge_counter", Path: "UPS.EVER1.EVER67", Format: "%.0f"},
	{Var: "experimental.statistics.overheat_counter", Path: "UPS.EVER1.EVER68", Format: "%.0f"},
	{Var: "experimental.statistics.mains_operation_time", Path: "UPS.EVER1.EVER69", Format: "%.0f"},
	{Var: "experimental.statistics.autonomous_operation_time", Path: "UPS.EVER1.EVER70", Format: "%.0f"},
	{Var: "experimental.statistics.overload_operation_time", Path: "UPS.EVER1.EVER71", Format: "%.0f"},
	{Var: "experimental.networkcard.mac_address", Path: "UPS.EVER1.EVER72", Format: "%s", Lookup: everMACAddress},
	{Var: "experimental.networkcard.notification_destination_ip", Path: "UPS.EVER1.EVER73", Format: "%s", Lookup: everIPAddress211},
	{Var: "experimental.networkcard.send_packets", Path: "UPS.EVER1.EVER77", Format: "%s", Lookup: everPackets215},
	{Var: "experimental.networkcard.received_packets", Path: "UPS.EVER1.EVER78", Format: "%s", Lookup: everPackets216},
	{Var: "experimental.networkcard.send_packets_err", Path: "UPS.EVER1.EVER79", Format: "%s", Lookup: everPackets217},
	{Var: "experimental.networkcard.received_packets_err", Path: "UPS.EVER1.EVER80", Format: "%s", Lookup: everPackets218},
	{Var: "experimental.networkcard.config_dhcp_enabled", Path: "UPS.EVER1.EVER85.EVER86", Format: "%.0f"},
	{Var: "experimental.networkcard.config_ethernet_enabled", Path: "UPS.EVER1.EVER85.EVER87", Format: "%.0f"},
	{Var: "experimental.networkcard.config_http_enabled", Path: "UPS.EVER1.EVER85.EVER88", Format: "%.0f"},
	{Var: "experimental.networkcard.config_snmp_enabled", Path: "UPS.EVER1.EVER85.EVER89", Format: "%.0f"},
	{Var: "experimental.networkcard.config_snmp_trap_enabled", Path: "UPS.EVER1.EVER85.EVER90", Format: "%.0f"},
	{Var: "experimental.networkcard.config_readonly", Path: "UPS.EVER1.EVER85.EVER91", Format: "%.0f"},
	{Var: "experimental.networkcard.config_restart_eth", Path: "UPS.EVER1.EVER85.EVER96", Format: "%.0f"},
	{Var: "experimental.networkcard.ip_address", Path: "UPS.EVER1.EVER93", Format: "%s", Lookup: everIPAddress230},
	{Var: "experimental.networkcard.network_mask", Path: "UPS.EVER1.EVER94", Format: "%s", Lookup: everIPAddress231},
	{Var: "experimental.networkcard.default_gateway", Path: "UPS.EVER1.EVER95", Format: "%s", Lookup: everIPAddress232},
	{Var: "ups.realpower.nominal", Path: "UPS.Flow.ConfigActivePower", Format: "%.0f"},
	{Var: "ups.power.nominal", Path: "UPS.Flow.ConfigApparentPower", Format: "%.0f"},
	{Var: "output.frequency.nominal", Path: "UPS.Flow.ConfigFrequency", Format: "%.0f"},
	{Var: "output.voltage.nominal", Path: "UPS.Flow.ConfigVoltage", Format: "%.0f"},
	{Var: "experimental.ups.flow_id", Path: "UPS.Flow.FlowID", Format: "%.0f"},
	{Var: "outlet.1.id", Path: "UPS.OutletSystem.Outlet.OutletID", Format: "%.0f"},
	{Var: "experimental.outlet.1.present", Path: "UPS.OutletSystem.Outlet.PresentStatus.Present", Format: "%.0f", Lookup: YesNoInfo},
	{Var: "outlet.1.switchable", Path: "UPS.OutletSystem.Outlet.PresentStatus.Switchable", Format: "%.0f", Lookup: YesNoInfo},
	{Var: "outlet.1.status", Path: "UPS.OutletSystem.Outlet.PresentStatus.SwitchOn/Off", Format: "%.0f"},
	{Var: "experimental.outlet.1.undefined", Path: "UPS.OutletSystem.Outlet.PresentStatus.Undefined", Format: "%.0f"},
	{Var: "experimental.outlet.1.system_id", Path: "UPS.OutletSystem.OutletSystemID", Format: "%.0f"},
	{Var: "experimental.outlet.1.switch_off_control", Flags: state.RW | state.Number, Path: "UPS.OutletSystem.Outlet.SwitchOffControl", Format: "%.0f"},
	{Var: "experimental.outlet.1.switch_on_control", Flags: state.RW | state.Number, Path: "UPS.OutletSystem.Outlet.SwitchOnControl", Format: "%.0f"},
	{Var: "experimental.powerconverter.input_flow_id", Path: "UPS.PowerConverter.Input.FlowID", Format: "%.0f"},
	{Var: "input.frequency", Path: "UPS.PowerConverter.Input.Frequency", Format: "%.0f"},
	{Var: "experimental.powerconverter.input_id", Path: "UPS.PowerConverter.Input.InputID", Format: "%.0f"},
	{Var: "input.voltage", Path: "UPS.PowerConverter.Input.Voltage", Format: "%.0f"},
	{Var: "ups.realpower", Path: "UPS.PowerConverter.Output.ActivePower", Format: "%.0f"},
	{Var: "ups.power", Path: "UPS.PowerConverter.Output.ApparentPower", Format: "%.0f"},
	{Var: "output.current", Path: "UPS.PowerConverter.Output.Current", Format: "%.0f"},
	{Var: "experimental.powerconverter.output_flowid", Path: "UPS.PowerConverter.Output.FlowID", Format: "%.0f"},
	{Var: "output.frequency", Path: "UPS.PowerConverter.Output.Frequency", Format: "%.0f"},
	{Var: "experimental.powerconverter.output_id", Path: "UPS.PowerConverter.Output.OutputID", Format: "%.0f"},
	{Var: "ups.load", Path: "UPS.PowerConverter.Output.PercentLoad", Format: "%.0f"},
	{Var: "output.voltage", Path: "UPS.PowerConverter.Output.Voltage", Format: "%.0f"},
	{Var: "experimental.powerconverter.powerconverterid", Path: "UPS.PowerConverter.PowerConverterID", Format: "%.0f"},
	{Var: "experimental.powersummary.capacity_granularity_1", Path: "UPS.PowerSummary.CapacityGranularity1", Format: "%.0f"},
	{Var: "experimental.powersummary.capacity_granularity_2", Path: "UPS.PowerSummary.CapacityGranularity2", Format: "%.0f"},
	{Var: "experimental.powersummary.capacity_mode", Path: "UPS.PowerSummary.CapacityMode", Format: "%.0f"},
	{Var: "ups.delay.shutdown", Flags: state.RW | state.String, Len: 10, Path: "UPS.PowerSummary.DelayBeforeShutdown", Format: defaultOffDelay, HID: HIDAbsent},
	{Var: "battery.capacity", Path: "UPS.PowerSummary.DesignCapacity", Format: "%.0f"},
	{Var: "experimental.powersummary.flow_id", Path: "UPS.PowerSummary.FlowID", Format: "%.0f"},
	{Var: "battery.capacity", Path: "UPS.PowerSummary.FullChargeCapacity", Format: "%.0f"},
	{Var: "battery.type", Path: "UPS.PowerSummary.iDeviceChemistry", Format: "%.0f"},
	{Var: "ups.load", Path: "UPS.PowerSummary.PercentLoad", Format: "%.0f"},
	{Var: "experimental.powersummary.rechargeable", Path: "UPS.PowerSummary.Rechargeable", Format: "%.0f"},
	{Var: "battery.charge", Path: "UPS.PowerSummary.RemainingCapacity", Format: "%.0f"},
	{Var: "battery.runtime.low", Flags: state.RW | state.Number, Path: "UPS.PowerSummary.RemainingTimeLimit", Format: "%.0f"},
	{Var: "battery.runtime", Path: "UPS.PowerSummary.RunTimeToEmpty", Format: "%.0f"},
	{Var: "battery.voltage", Path: "UPS.PowerSummary.Voltage", Format: "%.0f"},
	{Var: "ups.timer.shutdown", Path: "UPS.PowerSummary.DelayBeforeShutdown", Format: "%.0f", HID: HIDQuickPoll},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.ACPresent", HID: HIDQuickPoll, Lookup: OnlineInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.AwaitingPower", HID: HIDQuickPoll, Lookup: AwaitingPowerInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.BatteryPresent", Lookup: NoBatteryInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.CommunicationLost", Lookup: CommFaultInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.Discharging", HID: HIDQuickPoll, Lookup: DischargingInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.NeedReplacement", Lookup: ReplaceBattInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.Overload", HID: HIDQuickPoll, Lookup: OverloadInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.OverTemperature", Lookup: OverheatInfo},
	{Var: "BOOL", Path: "UPS.PowerSummary.PresentStatus.ShutdownImminent", Lookup: ShutdownImmInfo},
	{Var: "BOOL", Path: "UPS.EVER1.EVER18.EVER19", Lookup: OverloadInfo},
	{Var: "BOOL", Path: "UPS.EVER1.EVER18.EVER20", Lookup: LowBattInfo},
	{Var: "BOOL", Path: "UPS.EVER1.EVER18.EVER21", Lookup: BoostInfo},
	{Var: "BOOL", Path: "UPS.EVER1.EVER18.EVER22", Lookup: TrimInfo},
	{Var: "BOOL", Path: "UPS.EVER1.EVER18.EVER25", Lookup: ChargingInfo},
	{Var: "BOOL", Path: "UPS.EVER1.EVER18.EVER28", Lookup: ReplaceBattInfo},
	{Var: "BOOL", Path: "UPS.EVER1.EVER32.EVER33", Lookup: OverloadInfo},
	{Var: "BOOL", Path: "UPS.EVER1.EVER32.EVER40", Format: "%.0f", Lookup: CommFaultInfo},
	{Var: "BOOL", Path: "UPS.EVER1.EVER97.EVER102", Format: "%s", Lookup: everOnOffInfo},
	{Var: "experimental.status.workmode", Path: "UPS.EVER1.EVER97.EVER98", Format: "%s", Lookup: everWorkMode},
	{Var: "experimental.status.messages", Path: "UPS.EVER1.EVER18.EVER28", Lookup: everMessages},
	{Var: "experimental.status.alarms", Path: "UPS.EVER1.EVER32.EVER33", Lookup: everAlarms},
	{Var: "load.off.delay", Path: "UPS.PowerSummary.DelayBeforeShutdown", Format: defaultOffDelay, HID: HIDCommand},
	{Var: "shutdown.return", Path: "UPS.PowerSummary.DelayBeforeShutdown", Format: defaultOffDelay, HID: HIDCommand},
}

// Ever's conversions (ever-hid.c).
var (
	// everFormatHardware: a letter revision and a number ("rev.Bv02").
	everFormatHardware = &Lookup{Name: "ever_format_hardware", ToNUT: func(_ Context, v float64) (string, bool) {
		n := uint32(int64(v))
		rev := int(n&0xff00) >> 8
		if rev > 26 {
			return "", false
		}
		return fmt.Sprintf("rev.%sv%02d", string("0ABCDEFGHIJKLMNOPQRSTUVWXYZ"[rev]), n&0xff), true
	}}
	// everFormatVersion: major and minor nibbles and a build ("v1.2b03").
	everFormatVersion = &Lookup{Name: "ever_format_version", ToNUT: func(_ Context, v float64) (string, bool) {
		n := uint32(int64(v))
		return fmt.Sprintf("v%X.%Xb%02d", n&0xf000>>12, n&0xf00>>8, int32(int64(v))&0xff), true
	}}
	// everMACAddress: report 210's bytes.
	everMACAddress = everReport("ever_mac_address", 210, func(b []byte) string { return joinBytes(b, ":", "%02x") })
	// The IP addresses of reports 211 and 230 to 232. NUT's
	// ever_ip_address takes them in turn, one more at each call, so
	// that each of its four rows reads its own as long as each is read
	// once in a turn; here each row reads its own report.
	everIPAddress211 = everIP(211)
	everIPAddress230 = everIP(230)
	everIPAddress231 = everIP(231)
	everIPAddress232 = everIP(232)
	// The packet counters of reports 215 to 218, 32 bits little-endian,
	// in turn in NUT as the IP addresses.
	everPackets215 = everPackets(215)
	everPackets216 = everPackets(216)
	everPackets217 = everPackets(217)
	everPackets218 = everPackets(218)
	// everWorkMode: report 74's first byte.
	everWorkMode = everReport("ever_workmode", 74, func(b []byte) string {
		if s, ok := map[byte]string{2: "STOP", 4: "ONLINE", 8: "ONBATTERY", 16: "WATCH", 32: "WAITING", 64: "EMERGENCY"}[byteAt(b, 0)]; ok {
			return s
		}
		return "UNKNOWN"
	})
	// everOnOffInfo: off but on line or on battery (report 74).
	everOnOffInfo = everReport("ever_on_off_info", 74, func(b []byte) string {
		if w := byteAt(b, 0); w == 0x04 || w == 0x08 {
			return "!off"
		}
		return "off"
	})
	// everMessages and everAlarms: the bits of reports 75 and 76.
	everMessages = everReport("ever_messages", 75, func(b []byte) string {
		return everBits(b, []string{"", "", "BOOST", "BUCK", "BOOST_BLOCKED", "BUCK_BLOCKED", "CHARGING", "FAN_ON",
			"EPO_BLOCKED", "NEED_REPLACMENT", "OVERHEAT", "OVERHEAT", "WAITING_FOR_MIN_CHARGE", "MAINS_OUT_OF_RANGE"})
	})
	everAlarms = everReport("ever_alarms", 76, func(b []byte) string {
		return everBits(b, []string{"OVERLOAD", "SHORT-CIRCUIT", "OVERHEAT", "OVERHEAT", "EPO", "INERNAL_ERROR",
			"REVERSE_POWER_SUPPLY", "NO_INETERNAL_COMM", "CRITICAL_BATT_VOLTAGE"})
	})
)

// everReport is a lookup that reads the bytes of a report, less its ID,
// as last read from the device; a report never read converts to nothing.
func everReport(name string, id uint8, f func([]byte) string) *Lookup {
	return &Lookup{Name: name, ToNUT: func(c Context, _ float64) (string, bool) {
		r := c.Report(id)
		if len(r) == 0 {
			return "", false
		}
		return f(r[1:]), true
	}}
}

func everIP(id uint8) *Lookup {
	return everReport("ever_ip_address", id, func(b []byte) string { return joinBytes(b, ".", "%d") })
}

func everPackets(id uint8) *Lookup {
	return everReport("ever_packets", id, func(b []byte) string {
		if len(b) < 4 {
			return ""
		}
		return strconv.Itoa(int(int32(binary.LittleEndian.Uint32(b))))
	})
}

func joinBytes(b []byte, sep, format string) string {
	parts := make([]string, len(b))
	for i, c := range b {
		parts[i] = fmt.Sprintf(format, c)
	}
	return strings.Join(parts, sep)
}

func byteAt(b []byte, i int) byte {
	if i < len(b) {
		return b[i]
	}
	return 0
}

// everBits are the words of the bits set in the first two bytes, each
// word once.
func everBits(b []byte, words []string) string {
	bits := int(byteAt(b, 0)) | int(byteAt(b, 1))<<8
	var out []string
	for i, w := range words {
		if w != "" && bits&(1<<i) != 0 && (len(out) == 0 || out[len(out)-1] != w) {
			out = append(out, w)
		}
	}
	return strings.Join(out, " ")
}
