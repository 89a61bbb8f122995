package nuttest

import (
	"bufio"
	"os"
	"regexp"
	"strings"
	"testing"
)

// DebianUdevRules is Debian's NUT udev rules file.
const DebianUdevRules = "/lib/udev/rules.d/62-nut-usbups.rules"

var udevRule = regexp.MustCompile(`ATTR\{idVendor\}=="([0-9a-f]{4})", ATTR\{idProduct\}=="([0-9a-f]{4})"`)

// DebianUdevIDs is the "vvvv:pppp" of every device Debian's udev rules
// give to driver: the comment line above each rule names its driver. The
// test is skipped where Debian's nut-server is not installed.
func DebianUdevIDs(t testing.TB, driver string) map[string]bool {
	t.Helper()
	f, err := os.Open(DebianUdevRules)
	if err != nil {
		t.Skipf("no %s (Debian's nut-server installs it): %v", DebianUdevRules, err)
	}
	defer f.Close()
	ids := map[string]bool{}
	var comment string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			comment = line
			continue
		}
		if m := udevRule.FindStringSubmatch(line); m != nil && strings.HasSuffix(comment, "- "+driver) {
			ids[m[1]+":"+m[2]] = true
		}
		comment = ""
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return ids
}
