//go:build cgo

package libusb

/*
#cgo pkg-config: libusb-1.0
#include <libusb.h>
*/
import "C"

import "fmt"

// Version is the libusb that the program runs with, as NUT's USB drivers
// show it in driver.version.usb: "libusb-1.0.26 (API: 0x1000109)".
func Version() string {
	v := C.libusb_get_version()
	return fmt.Sprintf("libusb-%d.%d.%d (API: 0x%x)", v.major, v.minor, v.micro, C.LIBUSB_API_VERSION)
}
