package sockserver

import (
	"strconv"
	"testing"

	"gonut/drivers/sockproto"
	"gonut/state"
)

// BenchmarkSetBroadcast is a driver changing a variable of its tree, which
// the socket server tells its connections (none here: the cost of the
// change and of its line).
func BenchmarkSetBroadcast(b *testing.B) {
	tree := state.New()
	New(tree, func(sockproto.Request) sockproto.Result { return sockproto.Handled }, nil)
	vals := make([]string, 64)
	for i := range vals {
		vals[i] = strconv.Itoa(i) + ".5 volts"
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		tree.Set("input.voltage", vals[i%64])
	}
}
