package snmp

import (
	"context"
	"io"
	"log/slog"
	"os"
	"testing"
	"time"

	"gonut/drivers/snmp/mib"
	"gonut/internal/snmpsim"
	"gonut/state"
)

// BenchmarkWalk: one update walk of a three-phase ePDU of 24 outlets
// (snmpsim on loopback), the tree and client as the driver has them.
func BenchmarkWalk(b *testing.B) {
	rec, err := os.ReadFile("testdata/eaton_epdu.gen.snmprec")
	if err != nil {
		b.Fatal(err)
	}
	agent := snmpsim.Start(b, map[string]string{"pdu.snmprec": string(rec)})
	c, err := Dial(Session{Host: "127.0.0.1", Port: uint16(agent.Port), Version: Version1, Community: "pdu", Timeout: time.Second, Retries: 1})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	e := NewEngine(c, mib.ByName("eaton_epdu")[0], slog.New(slog.NewTextHandler(io.Discard, nil)), 10)
	tree := state.New()
	if err := e.initDaisy(ctx, tree); err != nil {
		b.Fatal(err)
	}
	if err := e.Walk(ctx, tree, true); err != nil {
		b.Fatal(err)
	}
	before := agent.Requests()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := e.Walk(ctx, tree, false); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(agent.Requests()-before)/float64(b.N), "requests/walk")
}
