package subdriver

import (
	"fmt"

	"gonut/drivers/hid"
)

// Usages the fixes look for.
const (
	usageVoltage             hid.Usage = 0x00840030
	usageConfigVoltage       hid.Usage = 0x00840040
	usageHighVoltageTransfer hid.Usage = 0x00840054
)

// setRange gives every field of report id whose own usage is u the logical
// range lo..hi. NUT's fixes correct only the first such field, so that an
// Input copy of a Feature field keeps the wrong range, and values that
// arrive by interrupt are read with it; here all of them are corrected.
func setRange(d *hid.Descriptor, id uint8, u hid.Usage, lo, hi int64) []string {
	var notes []string
	for i := range d.Fields {
		f := &d.Fields[i]
		if f.ReportID != id || f.Path.Last() != u || (f.LogMin == lo && f.LogMax == hi) {
			continue
		}
		notes = append(notes, fmt.Sprintf("%s field %08x of report 0x%02x: logical range %d..%d, was %d..%d",
			f.Type, uint32(u), id, lo, hi, f.LogMin, f.LogMax))
		f.LogMin, f.LogMax = lo, hi
	}
	return notes
}

// FixAPC corrects the Back-UPS XS 1400U (051d:0002) and its kin, whose
// UPS.Input.Voltage and UPS.Input.ConfigVoltage logical maxima are too low
// for 220-240 V (apc-hid.c's apc_fix_report_desc): when the high transfer
// voltage (report 0x33) can exceed them, the input voltage (0x31) becomes
// 0..twice that maximum and the nominal voltage (0x30, one byte) 0..255.
func FixAPC(dev Device, d *hid.Descriptor) []string {
	if dev.VendorID != 0x051d || dev.ProductID != 0x0002 {
		return nil
	}
	hvt := d.FindByNode(0x33, usageHighVoltageTransfer)
	if hvt == nil {
		return nil
	}
	var notes []string
	if v := d.FindByNode(0x31, usageVoltage); v != nil && hvt.LogMax > v.LogMax {
		notes = append(notes, setRange(d, 0x31, usageVoltage, 0, 2*hvt.LogMax)...)
	}
	if v := d.FindByNode(0x30, usageConfigVoltage); v != nil && hvt.LogMax > v.LogMax {
		notes = append(notes, setRange(d, 0x30, usageConfigVoltage, v.LogMin, 255)...)
	}
	return notes
}

// CyberPower's voltage range after its fix (cps-hid.c's CPS_VOLTAGE_LOGMIN
// and CPS_VOLTAGE_LOGMAX, which leaves a safety margin).
const (
	cpsVoltageMin = 0
	cpsVoltageMax = 511
)

// FixCyberPower corrects CyberPower units (0764:0501) such as the
// CP900EPFCLCD, whose UPS.Output.Voltage (report 0x12) is declared with
// the logical range of UPS.Input.HighVoltageTransfer (report 0x10), so
// that NUT read 0 or the transfer voltage for the output voltage
// (cps-hid.c's cps_fix_report_desc): both voltages become 0..511.
//
// NUT 2.8.0 says it corrects the input voltage (report 0x0f) too but only
// logs it; this corrects it when it has the transfer voltage's range as
// well, as NUT does since 2.8.1.
func FixCyberPower(dev Device, d *hid.Descriptor) []string {
	if dev.VendorID != 0x0764 || dev.ProductID != 0x0501 {
		return nil
	}
	hvt := d.FindByNode(0x10, usageHighVoltageTransfer)
	if hvt == nil {
		return nil
	}
	lo, hi := hvt.LogMin, hvt.LogMax
	out := d.FindByNode(0x12, usageVoltage)
	if out == nil || out.LogMin != lo || out.LogMax != hi {
		return nil
	}
	notes := setRange(d, 0x12, usageVoltage, cpsVoltageMin, cpsVoltageMax)
	if in := d.FindByNode(0x0f, usageVoltage); in != nil && in.LogMin == lo && in.LogMax == hi {
		notes = append(notes, setRange(d, 0x0f, usageVoltage, cpsVoltageMin, cpsVoltageMax)...)
	}
	return notes
}
