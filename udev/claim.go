package udev

import "sync"

// claims indexes Collect(Tables(), Pending) by vendor and product ID.
var claims = sync.OnceValue(func() map[[2]uint16]Rule {
	m := map[[2]uint16]Rule{}
	for _, r := range Collect(Tables(), Pending) {
		m[[2]uint16{r.VendorID, r.ProductID}] = r
	}
	return m
})

// Claim is the driver that claims a USB device by its vendor and product
// IDs, the one place that says so: the rules file is written from the
// same Collect, the hot-plug enumerator asks it of a device that udev's
// rules did not name a driver for, and nut-scanner prints it. The rule
// says whether gonut has the driver (Pending: not yet) and which other
// drivers know the device too. Like NUT's rules and its nut-scanner's
// table, it is one driver a device, for the exact IDs only.
func Claim(vendorID, productID uint16) (Rule, bool) {
	r, ok := claims()[[2]uint16{vendorID, productID}]
	return r, ok
}
