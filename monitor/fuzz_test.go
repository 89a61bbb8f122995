package monitor

import (
	"strings"
	"testing"
	"time"

	"gonut/config"
)

// Whatever status upsd sends, upsmon takes it without crashing, tells
// only known events, and its critical test answers.
func FuzzObserve(f *testing.F) {
	for _, s := range []string{"OL", "OB LB", "FSD OB LB", "OL CHRG RB", "ALARM OVER TRIM BOOST", "CAL OB LB", "OFF", "", " ", "ol ob", "WEIRD\x00\xff"} {
		f.Add(s, "alarm text")
	}
	known := map[string]bool{}
	for _, e := range config.NotifyEvents() {
		known[e] = true
	}
	conf := config.DefaultUpsmonConf()
	f.Fuzz(func(t *testing.T, status, alarm string) {
		s := NewSupply(config.Monitor{System: "u@h", PowerValue: 1, Role: config.RoleSecondary}, time.Unix(0, 0))
		now := time.Unix(100, 0)
		for _, part := range strings.Split(status, "|") {
			s.Observe(part, alarm, now, conf, func(e Event) {
				if !known[e.Type] {
					t.Fatalf("unknown event %q from status %q", e.Type, status)
				}
			})
			now = now.Add(5 * time.Second)
			s.Critical(now, conf)
		}
	})
}
