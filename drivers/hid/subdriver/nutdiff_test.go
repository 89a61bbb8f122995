package subdriver_test

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gonut/drivers/hid"
	"gonut/drivers/hid/internal/nutref"
	"gonut/drivers/hid/subdriver"
)

// genDescriptor writes a random UPS-like report descriptor within what
// NUT 2.8.0 reads correctly (report IDs, reports under 32 bytes, paths
// under 10 nodes, a range declared minimum first) and random reports for
// it: the items real descriptors use, in random order and sizes.
func genDescriptor(rnd *rand.Rand) (desc []byte, reports [][]byte) {
	var b []byte
	item := func(prefix byte, v uint32, size int) {
		code := map[int]byte{0: 0, 1: 1, 2: 2, 4: 3}[size]
		b = append(b, prefix|code)
		for i := 0; i < size; i++ {
			b = append(b, byte(v>>(8*i)))
		}
	}
	// a number written in n bytes, as firmware writes them (a maximum
	// of 0xffff in 2 bytes reads -1, and NUT then reads it unsigned)
	num := func(prefix byte, v int64) {
		n := []int{0, 1, 2, 4}[rnd.Intn(4)]
		if n == 0 && v == 0 {
			item(prefix, 0, 0)
			return
		}
		n = max(n, 1)
		for n < 4 && (v > 1<<(8*n)-1 || v < -1<<(8*n-1)) {
			n = map[int]int{0: 1, 1: 2, 2: 4}[n]
		}
		item(prefix, uint32(v), n)
	}
	pages := []uint32{0x84, 0x85, 0xff86, 0xffff}
	units := []uint32{0, 0x00f0d121, 0x0000d121, 0xf001, 0x1001, 0x00100001, 0x00010001}
	item(0x04, 0x84, 1)
	item(0x08, 0x04, 1)
	item(0xa0, 1, 1)
	// open collections, and the path nodes they make (NUT has room for
	// 10 nodes in a path, and writes past them)
	var open []int
	nodes, fields := 1, 0
	bits := map[[2]byte]int{}
	id := byte(0)
	for fields < 150 && len(b) < 3000 {
		switch r := rnd.Intn(12); {
		case r == 0 && nodes < 8:
			typ := []uint32{0, 2, 0x80 | uint32(rnd.Intn(8))}[rnd.Intn(3)]
			item(0x08, uint32(0x10+rnd.Intn(0x20)), 1)
			item(0xa0, typ, 1)
			n := 1
			if typ >= 0x80 {
				n = 2
			}
			open = append(open, n)
			nodes += n
		case r == 1 && len(open) > 0:
			item(0xc0, 0, 0)
			nodes -= open[len(open)-1]
			open = open[:len(open)-1]
		case r == 2 || id == 0:
			id = byte(1 + rnd.Intn(255))
			item(0x84, uint32(id), 1)
		case r == 3:
			page := pages[rnd.Intn(len(pages))]
			item(0x04, page, map[bool]int{true: 1, false: 2}[page < 0x100 && rnd.Intn(2) == 0])
		case r == 4:
			lo := []int64{0, 0, 0, -1, -128, int64(rnd.Intn(200))}[rnd.Intn(6)]
			hi := lo + []int64{1, 100, 255, 65535, 127, 0x7fffffff}[rnd.Intn(6)]
			num(0x14, lo)
			num(0x24, hi)
		case r == 5:
			num(0x34, []int64{0, -60, 1}[rnd.Intn(3)])
			num(0x44, []int64{0, 1966020, 100, 1000}[rnd.Intn(4)])
		case r == 6:
			item(0x64, units[rnd.Intn(len(units))], 4)
			item(0x54, uint32(rnd.Intn(16)), 1)
		default:
			size := []int{1, 1, 2, 4, 8, 8, 16, 16, 24, 32}[rnd.Intn(10)]
			count := 1 + rnd.Intn(4)
			typ := []byte{0x80, 0xb0, 0xb0, 0x90}[rnd.Intn(4)]
			key := [2]byte{id, typ}
			if bits[key]+size*count > 248 {
				continue
			}
			item(0x74, uint32(size), 1)
			item(0x94, uint32(count), 1)
			for i := rnd.Intn(count + 1); i > 0; i-- {
				item(0x08, uint32(rnd.Intn(0x100)), 1)
				fields++
			}
			item(typ, []uint32{0x02, 0x22, 0xa2, 0x83, 0x03}[rnd.Intn(5)], 1)
			bits[key] += size * count
		}
	}
	for range len(open) + 1 {
		item(0xc0, 0, 0)
	}
	size := map[byte]int{}
	for key, n := range bits {
		size[key[0]] = max(size[key[0]], n)
	}
	for id, n := range size {
		r := make([]byte, 1+(n+7)/8)
		rnd.Read(r)
		r[0] = id
		reports = append(reports, r)
	}
	return b, reports
}

// TestRandomDescriptorsMatchNUT: on random descriptors of the kind real
// UPSes have, with random reports, gonut prints what Debian's usbhid-ups
// prints, line for line, ranges, units and exponents included. NUTDIFF_N sets how many, NUTDIFF_SEED the seed
// (a failure prints it).
func TestRandomDescriptorsMatchNUT(t *testing.T) {
	shim, dir := nutShim(t)
	n := 40
	if s := os.Getenv("NUTDIFF_N"); s != "" {
		fmt.Sscan(s, &n)
	}
	seed := time.Now().UnixNano()
	if s := os.Getenv("NUTDIFF_SEED"); s != "" {
		fmt.Sscan(s, &seed)
	}
	t.Logf("seed %d (NUTDIFF_SEED)", seed)
	rnd := rand.New(rand.NewSource(seed))
	for i := 0; i < n; i++ {
		desc, reports := genDescriptor(rnd)
		descFile := filepath.Join(dir, "desc.hex")
		reportFile := filepath.Join(dir, "reports.hex")
		writeHex(t, descFile, [][]byte{desc})
		writeHex(t, reportFile, reports)

		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		out, err := nutref.Run(ctx, shim, nutref.Device{VendorID: 0x1234, ProductID: 1, BCD: 0x100,
			Descriptor: descFile, Reports: reportFile}, "-DDDD", "-x", "explore", "-x", "vendorid=1234")
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		want := nutref.Paths(out)

		d, err := hid.Parse(desc)
		if err != nil {
			t.Fatalf("descriptor %d: %v", i, err)
		}
		var got []string
		for _, line := range exploreLines(d, subdriver.Explore.Names(), d.ReportBuffers(reports...), func(*hid.Field) bool { return false }) {
			// NUT formats a path into 128 bytes, and cuts it at 126 characters
			path, rest, _ := strings.Cut(strings.TrimPrefix(line, "Path: "), ", Type: ")
			got = append(got, "Path: "+path[:min(len(path), 126)]+", Type: "+rest)
		}
		if len(d.Fields) == 0 {
			got = nil
		}
		if !t.Run(fmt.Sprint(i), func(t *testing.T) { diff(t, got, want) }) {
			t.Logf("descriptor % x", desc)
			t.Logf("reports % x", reports)
			return
		}
	}
}

func writeHex(t *testing.T, path string, lines [][]byte) {
	t.Helper()
	var b strings.Builder
	for _, l := range lines {
		fmt.Fprintf(&b, "% x\n", l)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}
