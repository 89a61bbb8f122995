package monitor

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// upsmon runs on an upsmon.conf with mistakes NUT's upsmon only warns
// about, telling each by file and line, and refuses what NUT's refuses.
func TestLoadConfRefusesOnlyWhatNUTRefuses(t *testing.T) {
	monitor := "MONITOR ups@localhost 1 mon pass secondary\n"
	for _, tc := range []struct {
		conf  string
		runs  bool
		tells string
	}{
		{monitor + "NOTIFYFLAG ONBATT syslog+wall\n", true, "upsmon.conf:2: NOTIFYFLAG ONBATT"},
		{monitor + "NOTIFYMSG ONBATT \"UPS %s: 100% load\"\n", true, "upsmon.conf:2: NOTIFYMSG ONBATT"},
		{monitor + "POLLFREQ abc\n", true, "upsmon.conf:2: POLLFREQ"},
		{"MONITOR ups@localhost 1 pass secondary\n", false, "upsmon.conf:1: MONITOR without a username"},
		{monitor + "MINSUPPLIES 2\n", false, "upsmon.conf:2: MINSUPPLIES 2"},
	} {
		file := filepath.Join(t.TempDir(), "upsmon.conf")
		os.WriteFile(file, []byte(tc.conf), 0o600)
		var log strings.Builder
		c := loadConf(file, &log)
		if (c != nil) != tc.runs || !strings.Contains(log.String(), tc.tells) {
			t.Errorf("%q: runs %v, want %v; told:\n%s", tc.conf, c != nil, tc.runs, log.String())
		}
		if c != nil && len(c.Monitors) != 1 {
			t.Errorf("%q: the MONITOR line was lost", tc.conf)
		}
	}
}
