package apcsmart_test

import (
	"testing"

	"gonut/drivers/core"
)

func TestDump(t *testing.T) {
	p, _ := simPTY(t)
	r := runDriver(t, p.Path, "", core.Args{DumpAfter: 1})
	if err := <-r.done; err != nil {
		t.Fatal(err)
	}
}
