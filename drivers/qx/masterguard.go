package qx

import "strconv"

// Masterguard (NUT 2.8.0's nutdrv_qx_masterguard.c) claims no UPS: its
// claim asks for the items "series" and "output_voltages", which its
// table names "experimental.series" and "experimental.output_voltages"
// since they were renamed before 2.8.0, finds neither and gives up
// before it sends a byte. NUT fixed this after 2.8.0; gonut does as
// 2.8.0 does, so that a section that works with Debian's driver works
// with ours: protocol = masterguard is refused, and autodetection goes on
// to the next protocol. Only its slave_address check is left.
func masterguardClaim(d *Driver) bool {
	if sa, ok := d.dev.Value("slave_address"); ok {
		if n, err := strconv.Atoi(sa); sa == "" || err != nil || n < 0 || n > 99 {
			d.dev.Log.Debug("masterguard: illegal slave_address", "slave_address", sa)
			return false
		}
	}
	d.dev.Log.Debug("masterguard: NUT 2.8.0's subdriver cannot find its item \"series\" and claims no UPS")
	return false
}
