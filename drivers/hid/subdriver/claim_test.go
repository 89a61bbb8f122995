package subdriver_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"gonut/drivers/hid/internal/nutref"
	"gonut/drivers/hid/subdriver"
	"gonut/drivers/usb"
	"gonut/drivers/usbhidups"
)

// claimCase is a device offered to usbhid-ups, with its options.
type claimCase struct {
	dev subdriver.Device
	opt subdriver.ClaimOptions
}

func (c claimCase) String() string {
	return fmt.Sprintf("%04x:%04x %q %q %+v", c.dev.VendorID, c.dev.ProductID, c.dev.Vendor, c.dev.Product, c.opt)
}

// choose is the subdriver usbhid-ups gives a device (nil: none), and what
// the subdrivers tried before it logged.
func choose(c claimCase) (*subdriver.Subdriver, subdriver.Claim, []string) {
	table := usbhidups.USBIDs()
	var notes []string
	for _, sub := range subdriver.All {
		support, _ := table.SubdriverSupport(sub.ID, c.dev.VendorID, c.dev.ProductID)
		cl := sub.Claim(c.dev, support, c.opt)
		if cl.Note != "" {
			notes = append(notes, cl.Note)
		}
		if cl.OK {
			return sub, cl, notes
		}
	}
	return nil, subdriver.Claim{}, notes
}

// claimCases: every row of usbhid-ups's USB ID table, another product of
// each vendor with and without the productid option, the devices some
// subdriver turns away by product, Phoenixtec's ID with and without AEG
// in its strings, and explore.
func claimCases() []claimCase {
	var cases []claimCase
	vendors := map[uint16]bool{}
	for _, id := range usbhidups.USBIDs().IDs {
		cases = append(cases, claimCase{dev: subdriver.Device{VendorID: id.VendorID, ProductID: id.ProductID}})
		vendors[id.VendorID] = true
	}
	var vids []uint16
	for v := range vendors {
		vids = append(vids, v)
	}
	sort.Slice(vids, func(i, j int) bool { return vids[i] < vids[j] })
	for _, v := range vids {
		for _, opt := range []subdriver.ClaimOptions{{}, {ProductID: true}} {
			cases = append(cases, claimCase{dev: subdriver.Device{VendorID: v, ProductID: 0x7777}, opt: opt})
		}
	}
	for _, d := range []subdriver.Device{
		{VendorID: 0x09ae, ProductID: 0x0001}, // Tripp Lite serial-over-USB
		{VendorID: 0x0d9f, ProductID: 0x0002}, // PowerCOM for the powercom driver
		{VendorID: 0x050d, ProductID: 0x0218}, // Belkin's USB hub
		{VendorID: 0x06da, ProductID: 0xffff, Vendor: "AEG Power Solutions"},
		{VendorID: 0x06da, ProductID: 0xffff, Product: "PROTECT NAS AEG"},
		{VendorID: 0x06da, ProductID: 0x1234, Product: "AEG"},
		{VendorID: 0x1234, ProductID: 0x5678},
	} {
		for _, opt := range []subdriver.ClaimOptions{{}, {ProductID: true}} {
			cases = append(cases, claimCase{dev: d, opt: opt})
		}
	}
	return append(cases,
		claimCase{dev: subdriver.Device{VendorID: 0x051d, ProductID: 0x0002}, opt: subdriver.ClaimOptions{Explore: true}},
		claimCase{dev: subdriver.Device{VendorID: 0x1234, ProductID: 0x5678}, opt: subdriver.ClaimOptions{Explore: true}})
}

// TestClaimsMatchNUT: each device goes to the subdriver Debian's
// usbhid-ups gives it (or to none), and the devices turned away get NUT's
// words for it. Without NUT, the answers recorded from it
// (testdata/claims.nut, rewritten with -update-nut) are the reference.
func TestClaimsMatchNUT(t *testing.T) {
	const golden = "testdata/claims.nut"
	var got []string
	for _, c := range claimCases() {
		sub, cl, notes := choose(c)
		name := "none"
		if sub != nil {
			name = sub.Name
		}
		got = append(got, fmt.Sprintf("%s: %s%s", c, name, noteWords(notes)))
		if sub == subdriver.Powercom && c.dev.ProductID == 0x0001 && !(cl.InterruptOnly && cl.InterruptSize == 8) {
			t.Errorf("%s: %+v, want interrupt reports only, of 8 bytes", c, cl)
		}
	}
	if err := nutref.Available(); err == nil {
		cases := claimCases()
		nut, outs := nutClaims(t, cases)
		for i, c := range cases {
			_, _, notes := choose(c)
			for _, n := range notes {
				if !strings.Contains(outs[i], n) {
					t.Errorf("%s: NUT does not log %q", c, n)
				}
			}
		}
		if *updateNUT {
			header := "# The subdriver Debian's NUT 2.8.0 usbhid-ups chooses for each device (go test ./subdriver\n" +
				"# -update-nut rewrites this file), and the devices its subdrivers say they do not support.\n"
			if err := os.WriteFile(golden, []byte(header+strings.Join(nut, "\n")+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := readLines(golden)
		if err != nil {
			t.Fatal(err)
		}
		diff(t, nut, want)
	}
	want, err := readLines(golden)
	if err != nil {
		t.Fatal(err)
	}
	diff(t, got, want)
}

// noteWords is the gist of the refusals logged: " (refused: vendor
// device)" for each distinct one, in order.
func noteWords(notes []string) string {
	var words []string
	seen := map[string]bool{}
	for _, n := range notes {
		m := refusal.FindStringSubmatch(n)
		if m == nil || seen[m[0]] {
			continue
		}
		seen[m[0]] = true
		words = append(words, m[1]+" "+m[2])
	}
	if len(words) == 0 {
		return ""
	}
	return " (refused: " + strings.Join(words, ", ") + ")"
}

var refusal = regexp.MustCompile(`This (.+?) device \((....[:/]....)\) is not`)

// nutClaims runs Debian's usbhid-ups on each case (the device's report
// descriptor is the Back-UPS XS 1400U's) and reads which subdriver it
// used, and the devices it refused; and its output for each.
func nutClaims(t *testing.T, cases []claimCase) (lines, outs []string) {
	shims := buildShims(t)
	dir := t.TempDir()
	strs := filepath.Join(dir, "strings")
	for _, c := range cases {
		text := fmt.Sprintf("1 %s\n2 %s\n", c.dev.Vendor, c.dev.Product)
		text = strings.ReplaceAll(strings.ReplaceAll(text, "1 \n", "1\n"), "2 \n", "2\n")
		if err := os.WriteFile(strs, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Setenv("NUTSHIM_STRINGS", strs)
		args := []string{"-x", fmt.Sprintf("vendorid=%04x", c.dev.VendorID)}
		if c.opt.ProductID {
			args = append(args, "-x", fmt.Sprintf("productid=%04x", c.dev.ProductID))
		}
		if c.opt.Explore {
			args = append(args, "-x", "explore")
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		out, err := nutref.Run(ctx, shims.strings+":"+shims.shim, nutref.Device{VendorID: c.dev.VendorID,
			ProductID: c.dev.ProductID, BCD: 0x0100, Descriptor: "../testdata/apc-back-ups-xs-1400u.hex"}, args...)
		cancel()
		name := "none"
		if m := regexp.MustCompile(`Using subdriver: (.*)`).FindSubmatch(out); m != nil {
			name = string(m[1])
		} else if err == nil || !strings.Contains(string(out), "No matching HID UPS found") {
			t.Fatalf("%s: usbhid-ups neither chose a subdriver nor found none: %v\n%s", c, err, out)
		}
		var notes []string
		for _, m := range refusal.FindAllString(string(out), -1) {
			notes = append(notes, m)
		}
		lines = append(lines, fmt.Sprintf("%s: %s%s", c, name, noteWords(notes)))
		outs = append(outs, string(out))
	}
	return lines, outs
}

func readLines(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var lines []string
	for _, l := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		if !strings.HasPrefix(l, "#") {
			lines = append(lines, l)
		}
	}
	return lines, nil
}

// A claim that changes how the device is talked to.
func TestClaimInterfaces(t *testing.T) {
	for _, c := range []struct {
		dev  subdriver.Device
		want subdriver.Claim
	}{
		{subdriver.Device{VendorID: 0x4234, ProductID: 0x0002}, subdriver.Claim{OK: true, Interface: usb.Interface{Number: 1}}},
		{subdriver.Device{VendorID: 0x2341, ProductID: 0x8036}, subdriver.Claim{OK: true, Interface: usb.Interface{Number: 2, EndpointIn: 0x84}}},
		{subdriver.Device{VendorID: 0x1cb0, ProductID: 0x0032}, subdriver.Claim{OK: true, PollOnly: true}},
		{subdriver.Device{VendorID: 0x0d9f, ProductID: 0x0001}, subdriver.Claim{OK: true, InterruptOnly: true, InterruptSize: 8}},
		{subdriver.Device{VendorID: 0x0d9f, ProductID: 0x0004}, subdriver.Claim{OK: true}},
	} {
		_, got, _ := choose(claimCase{dev: c.dev})
		if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", c.want) {
			t.Errorf("%04x:%04x: %+v, want %+v", c.dev.VendorID, c.dev.ProductID, got, c.want)
		}
	}
}
