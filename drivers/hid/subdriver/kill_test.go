package subdriver_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gonut/drivers/hid/internal/hidtest"
	"gonut/drivers/hid/internal/nutref"
	"gonut/internal/nuttest"
)

// Each testdata/NAME.kill holds the SET_REPORTs Debian's usbhid-ups -k
// sends to the sample, in order, under each "[options]" line (-x
// key=value words): drivers/usbhidups's -k test compares ours with them.
// This checks them against Debian's driver on the libusb stand-in.
func TestKillMatchesNUT(t *testing.T) {
	shims := buildShims(t)
	samples, err := hidtest.Load("../testdata")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, s := range samples {
		data, err := os.ReadFile(s.File(".kill"))
		if os.IsNotExist(err) {
			continue
		} else if err != nil {
			t.Fatal(err)
		}
		checked++
		for opts, lines := range nuttest.ParseKill(string(data)) {
			tmp := t.TempDir()
			setlog := filepath.Join(tmp, "setlog")
			dev := nutDevice(t, s, tmp, setlog)
			args := []string{"-x", fmt.Sprintf("productid=%04x", s.ProductID)}
			for _, kv := range strings.Fields(opts) {
				args = append(args, "-x", kv)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			out, err := nutref.Run(ctx, shims.strings+":"+shims.shim, dev, append(args, "-k")...)
			cancel()
			if err != nil {
				t.Fatalf("%s [%s]: %v\n%s", s.Name, opts, err, out)
			}
			sent, _ := os.ReadFile(setlog)
			got := strings.Split(strings.TrimSuffix(string(sent), "\n"), "\n")
			if len(sent) == 0 {
				got = nil
			}
			if strings.Join(got, "|") != strings.Join(lines, "|") {
				t.Errorf("%s: Debian's -k with [%s] sends %q; %s.kill says %q", s.Name, opts, string(sent), s.Name, lines)
			}
		}
	}
	if checked == 0 {
		t.Fatal("no .kill files")
	}
}
