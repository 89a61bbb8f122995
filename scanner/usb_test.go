package scanner_test

import (
	"bytes"
	"context"
	"testing"

	"gonut/drivers/usb"
	"gonut/drivers/usb/replay"
	"gonut/drivers/usbhidups"
	"gonut/scanner"
)

// TestScanUSB: the devices usbhid-ups's table claims are listed as NUT
// 2.8.0's scan_usb.c prints them (IDs in upper-case hex, strings without
// their trailing blanks, the bus in three digits); others are not.
func TestScanUSB(t *testing.T) {
	bus := replay.NewBus(
		&replay.Device{Bus: 1, Address: 2, VendorID: 0x051d, ProductID: 0x0002,
			Manufacturer: "American Power Conversion", Product: "Back-UPS XS 1400U FW:926.T2 .I USB FW:T2", Serial: "3B1234X56789  "},
		&replay.Device{Bus: 1, Address: 3, VendorID: 0x046d, ProductID: 0xc077, Product: "USB Optical Mouse"},
		&replay.Device{Bus: 3, Address: 7, VendorID: 0x0463, ProductID: 0xffff, Manufacturer: "EATON", Product: "Ellipse ECO"},
	)
	devs, err := scanner.ScanUSB(context.Background(), bus, []usb.IDTable{usbhidups.USBIDs()}, func(err error) { t.Error(err) })
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	n := 1
	scanner.UPSConf(&b, devs, &n)
	want := `[nutdev1]
	driver = "usbhid-ups"
	port = "auto"
	vendorid = "051D"
	productid = "0002"
	product = "Back-UPS XS 1400U FW:926.T2 .I USB FW:T2"
	serial = "3B1234X56789"
	vendor = "American Power Conversion"
	bus = "001"
[nutdev2]
	driver = "usbhid-ups"
	port = "auto"
	vendorid = "0463"
	productid = "FFFF"
	product = "Ellipse ECO"
	vendor = "EATON"
	bus = "003"
`
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
	b.Reset()
	scanner.Parsable(&b, devs[1:])
	if got := b.String(); got != `USB:driver="usbhid-ups",port="auto",vendorid="0463",productid="FFFF",product="Ellipse ECO",vendor="EATON",bus="003"`+"\n" {
		t.Errorf("parsable: %s", got)
	}
}
