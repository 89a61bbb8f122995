package qx

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
)

// The rules have one line an ID, under the comment of the driver that
// had it first: Armac's bridge is richcomm_usb's Sweex there.
var otherDriverInRules = map[string]bool{"0925:1234": true}

// Every device Debian's udev rules give to nutdrv_qx is in the table, and
// every row's IDs are in the rules.
func TestDebianUdevRules(t *testing.T) {
	const rules = "/lib/udev/rules.d/62-nut-usbups.rules"
	f, err := os.Open(rules)
	if err != nil {
		t.Skipf("no %s (Debian's nut-server installs it): %v", rules, err)
	}
	defer f.Close()
	rule := regexp.MustCompile(`ATTR\{idVendor\}=="([0-9a-f]{4})", ATTR\{idProduct\}=="([0-9a-f]{4})"`)
	inRules := map[string]bool{}
	var comment string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			comment = line
			continue
		}
		if m := rule.FindStringSubmatch(line); m != nil && strings.HasSuffix(comment, "- nutdrv_qx") {
			inRules[m[1]+":"+m[2]] = true
		}
	}
	inTable := map[string]bool{}
	for _, id := range USBIDs().IDs {
		inTable[fmt.Sprintf("%04x:%04x", id.VendorID, id.ProductID)] = true
	}
	if len(inRules) == 0 {
		t.Fatalf("no nutdrv_qx rule in %s", rules)
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
