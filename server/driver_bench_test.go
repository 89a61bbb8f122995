package server

import (
	"bytes"
	"fmt"
	"testing"
)

// driverStream is what a driver of nvars variables says over a while: a
// whole dump, then rounds of changed values (every variable once a round,
// with a DATAOK), as a busy device's driver sends them.
func driverStream(nvars, rounds int) []byte {
	var b bytes.Buffer
	for i := 0; i < nvars; i++ {
		fmt.Fprintf(&b, "SETINFO bench.group%d.value%d \"%d.%d volts and more\"\n", i/10, i, i, i%10)
		if i%4 == 0 {
			fmt.Fprintf(&b, "SETFLAGS bench.group%d.value%d RW STRING\nSETAUX bench.group%d.value%d 32\n", i/10, i, i/10, i)
		}
	}
	fmt.Fprintf(&b, "ADDCMD load.off\nADDCMD test.battery.start\nDATAOK\nDUMPDONE\n")
	for r := 0; r < rounds; r++ {
		for i := 0; i < nvars; i++ {
			fmt.Fprintf(&b, "SETINFO bench.group%d.value%d \"%d.%d volts\"\n", i/10, i, r, i)
		}
		fmt.Fprintf(&b, "SETINFO ups.status \"OL %d\"\nDATAOK\n", r)
	}
	return b.Bytes()
}

// BenchmarkDriverReader is upsd's reader of a driver socket: parse each
// line and apply it to the UPS's copy of the state tree. One op is the
// whole stream (200 variables dumped, then 10 rounds of changes).
func BenchmarkDriverReader(b *testing.B) {
	s := testServer(b)
	u := s.find("u")
	stream := driverStream(200, 10)
	lines := bytes.Count(stream, []byte("\n"))
	b.SetBytes(int64(len(stream)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		feed(u, bytes.NewReader(stream))
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*lines), "ns/line")
}
