package man_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// versionDiffers are the programs whose -V is not Debian's, and why.
var versionDiffers = map[string]string{
	"nut-web":               "gonut's own: NUT has no such program",
	"upsdrvsvcctl":          "Debian's is a shell script that takes no -V",
	"nut-driver-enumerator": "Debian's is a shell script that takes no -V",
	// NUT's upssched takes no options and answers -V as any call
	// without UPSNAME; ours says its version, on standard output.
	"upssched": "NUT's takes no -V",
}

// TestVersionAsNUT runs every program of cmd/ with -V beside Debian's,
// as the same argv[0]: the same streams and exit code, the same text but
// for the version's mark.
func TestVersionAsNUT(t *testing.T) {
	bin := programs(t)
	for _, name := range commands(t) {
		t.Run(name, func(t *testing.T) {
			if why, ok := versionDiffers[name]; ok {
				if name == "upssched" {
					out, errs, code := answer(t, filepath.Join(bin, name), name, "-V")
					if !strings.HasPrefix(out, "Network UPS Tools upssched ") || errs != "" || code != 0 {
						t.Errorf("upssched -V: stdout %q, stderr %q, exit %d; want its version on stdout", out, errs, code)
					}
				}
				t.Skip(why)
			}
			c := helpCases[name]
			if c.debian == "" {
				t.Fatalf("%s has no Debian program in helpCases", name)
			}
			if _, err := os.Stat(c.debian); err != nil {
				t.Skipf("Debian's %s is not installed (apt-get install nut-server nut-client nut-snmp, or make check)", c.debian)
			}
			dOut, dErr, dCode := answer(t, c.debian, c.debian, "-V")
			oOut, oErr, oCode := answer(t, filepath.Join(bin, name), c.debian, "-V")
			oOut, oErr = versions.Replace(oOut), versions.Replace(oErr)
			if name == "upsc" {
				// NUT 2.8.0's upsc -V calls itself upscmd: a slip not copied.
				dErr = strings.Replace(dErr, " upscmd ", " upsc ", 1)
			}
			if c.fix != nil {
				// The banner's differences -h has are -V's too.
				dOut, oOut = c.fix(dOut, oOut, bin)
			}
			sameAsDebian(t, [3]string{dOut, dErr, strconv.Itoa(dCode)}, [3]string{oOut, oErr, strconv.Itoa(oCode)})
		})
	}
}
