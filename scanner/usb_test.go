package scanner_test

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gonut/drivers/usb/replay"
	"gonut/internal/nuttest"
	"gonut/scanner"
	"gonut/udev"
)

// TestScanUSB: the devices a driver claims are listed as NUT 2.8.0's
// scan_usb.c prints them (IDs in upper-case hex, strings without their
// trailing blanks, the bus in three digits), with the driver of NUT's
// table, gonut's or not; others are not.
func TestScanUSB(t *testing.T) {
	bus := replay.NewBus(
		&replay.Device{Bus: 1, Address: 2, VendorID: 0x051d, ProductID: 0x0002,
			Manufacturer: "American Power Conversion", Product: "Back-UPS XS 1400U FW:926.T2 .I USB FW:T2", Serial: "3B1234X56789  "},
		&replay.Device{Bus: 1, Address: 3, VendorID: 0x046d, ProductID: 0xc077, Product: "USB Optical Mouse"},
		&replay.Device{Bus: 3, Address: 7, VendorID: 0x0463, ProductID: 0xffff, Manufacturer: "EATON", Product: "Ellipse ECO"},
		&replay.Device{Bus: 2, Address: 4, VendorID: 0x0665, ProductID: 0x5161, Manufacturer: "INNO TECH", Product: "USB to Serial"},
		&replay.Device{Bus: 2, Address: 5, VendorID: 0x0592, ProductID: 0x0002, Product: "Powerware"},
		&replay.Device{Bus: 2, Address: 6, VendorID: 0x09ae, ProductID: 0x0001, Manufacturer: "Tripp Lite", Product: "TRIPP LITE UPS"},
		&replay.Device{Bus: 2, Address: 7, VendorID: 0x0925, ProductID: 0x1234},
		&replay.Device{Bus: 2, Address: 8, VendorID: 0x04b4, ProductID: 0x5500, Serial: "R1"},
	)
	devs, err := scanner.ScanUSB(context.Background(), bus, scanner.Claim, func(err error) { t.Error(err) })
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
[nutdev3]
	driver = "nutdrv_qx"
	port = "auto"
	vendorid = "0665"
	productid = "5161"
	product = "USB to Serial"
	vendor = "INNO TECH"
	bus = "002"
[nutdev4]
	driver = "bcmxcp_usb"
	port = "auto"
	vendorid = "0592"
	productid = "0002"
	product = "Powerware"
	bus = "002"
[nutdev5]
	driver = "tripplite_usb"
	port = "auto"
	vendorid = "09AE"
	productid = "0001"
	product = "TRIPP LITE UPS"
	vendor = "Tripp Lite"
	bus = "002"
[nutdev6]
	driver = "richcomm_usb"
	port = "auto"
	vendorid = "0925"
	productid = "1234"
	bus = "002"
[nutdev7]
	driver = "riello_usb"
	port = "auto"
	vendorid = "04B4"
	productid = "5500"
	serial = "R1"
	bus = "002"
`
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
	b.Reset()
	scanner.Parsable(&b, devs[1:2])
	if got := b.String(); got != `USB:driver="usbhid-ups",port="auto",vendorid="0463",productid="FFFF",product="Ellipse ECO",vendor="EATON",bus="003"`+"\n" {
		t.Errorf("parsable: %s", got)
	}
}

var nutscanRow = regexp.MustCompile(`\{ 0x([0-9A-Fa-f]{4}), 0x([0-9A-Fa-f]{4}), "([^"]+)" \}`)

// nutscanTable is NUT 2.8.0's nut-scanner table (testdata/README.md).
func nutscanTable(t *testing.T) map[[2]uint16]string {
	b, err := os.ReadFile("testdata/nutscan-usb.h")
	if err != nil {
		t.Fatal(err)
	}
	out := map[[2]uint16]string{}
	for _, m := range nutscanRow.FindAllStringSubmatch(string(b), -1) {
		v, _ := strconv.ParseUint(m[1], 16, 16)
		p, _ := strconv.ParseUint(m[2], 16, 16)
		out[[2]uint16{uint16(v), uint16(p)}] = m[3]
	}
	if len(out) < 100 {
		t.Fatalf("only %d rows read", len(out))
	}
	return out
}

// TestClaimIsNUTScannerTable: the one claim (udev.Claim, which the rules
// file, the hot-plug enumerator and the scanner share) names for each
// device of NUT 2.8.0's nut-scanner table the driver that table names,
// and claims no other device; Debian's rules, from the same NUT tables,
// name the same.
func TestClaimIsNUTScannerTable(t *testing.T) {
	nut := nutscanTable(t)
	for id, drv := range nut {
		if got, ok := scanner.Claim(id[0], id[1]); !ok || got != drv {
			t.Errorf("%04x:%04x: NUT's nut-scanner says %s, ours %q", id[0], id[1], drv, got)
		}
	}
	for _, r := range udev.Collect(udev.Tables(), udev.Pending) {
		if nut[[2]uint16{r.VendorID, r.ProductID}] == "" {
			t.Errorf("%s: ours claims it for %s, NUT's table does not list it", r.DeviceID, r.Driver)
		}
	}
	// The header is NUT's, as Debian's build made it: Debian's rules,
	// written by the same script from the same tables, agree.
	byDriver := map[string]map[string]bool{}
	for id, drv := range nut {
		if id[0] == 0x2a03 {
			// NUT writes this vendor in capitals, in its rules too
			// (which then never match: udev's TestDebianRules), and
			// the rules' reader takes small letters.
			continue
		}
		if byDriver[drv] == nil {
			byDriver[drv] = map[string]bool{}
		}
		byDriver[drv][fmt.Sprintf("%04x:%04x", id[0], id[1])] = true
	}
	for drv, ids := range byDriver {
		deb := map[string]bool{}
		for id := range nuttest.DebianUdevIDs(t, drv) {
			deb[strings.ToLower(id)] = true
		}
		if !maps.Equal(deb, ids) {
			t.Errorf("%s: Debian's rules list %v, NUT's nut-scanner table %v", drv, deb, ids)
		}
	}
}
