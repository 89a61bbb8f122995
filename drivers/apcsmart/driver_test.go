package apcsmart_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gonut/drivers/apcsmart"
	"gonut/drivers/core"
	"gonut/drivers/serial"
)

// -d 1 dumps what one poll read, on the real serial code over the PTY.
func TestDump(t *testing.T) {
	p, u := simPTY(t)
	u.SetStatus(0x50) // on battery, low
	dir := t.TempDir()
	conf := "[t]\n\tdriver = apcsmart\n\tport = " + p.Path + "\n"
	if err := os.WriteFile(filepath.Join(dir, "ups.conf"), []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	err := core.Run(context.Background(), apcsmart.New(serial.Open, time.Now), core.Args{UPS: "t", DumpAfter: 1},
		core.Env{Vars: func(k string) string { return map[string]string{"NUT_CONFPATH": dir, "NUT_STATEPATH": dir}[k] }, Stdout: &out})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"ups.status: OB LB\n", "ups.mfr: APC\n", "battery.runtime: 6720\n", "ups.test.interval: 1209600\n"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("no %q in\n%s", want, out.String())
		}
	}
}
