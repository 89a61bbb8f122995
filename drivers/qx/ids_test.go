package qx

import (
	"fmt"
	"testing"

	"gonut/internal/nuttest"
)

// The rules have one line an ID, under the comment of the driver that
// had it first: Armac's bridge is richcomm_usb's Sweex there.
var otherDriverInRules = map[string]bool{"0925:1234": true}

// Every device Debian's udev rules give to nutdrv_qx is in the table, and
// every row's IDs are in the rules.
func TestDebianUdevRules(t *testing.T) {
	inRules := nuttest.DebianUdevIDs(t, "nutdrv_qx")
	inTable := map[string]bool{}
	for _, id := range USBIDs().IDs {
		inTable[fmt.Sprintf("%04x:%04x", id.VendorID, id.ProductID)] = true
	}
	if len(inRules) == 0 {
		t.Fatalf("no nutdrv_qx rule in %s", nuttest.DebianUdevRules)
	}
	for k := range inRules {
		if !inTable[k] {
			t.Errorf("%s: in Debian's rules, not in the table", k)
		}
	}
	for k := range inTable {
		if !inRules[k] && !otherDriverInRules[k] {
			t.Errorf("%s: in the table, not in Debian's rules", k)
		}
	}
}
