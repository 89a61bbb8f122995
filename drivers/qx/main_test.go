package qx

import (
	"flag"
	"os"
	"testing"
)

// TestMain runs up to 8 of the differential subtests at once unless
// -parallel says otherwise: each spends its time waiting on both drivers'
// polls (seconds apart), not on the CPU, so with Go's default (one per
// CPU) the package took over five minutes on two cores.
func TestMain(m *testing.M) {
	flag.Parse()
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "test.parallel" })
	if !set {
		flag.Set("test.parallel", "8")
	}
	os.Exit(m.Run())
}
