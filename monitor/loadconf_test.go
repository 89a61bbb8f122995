package monitor

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonut/config"
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

// A POWERDOWNFLAG left by upsmon is removed at start; a file there that
// is not upsmon's is left alone and the flag turned off, as NUT's upsmon
// does, so that a shutdown never overwrites it.
func TestClearPowerDownFlag(t *testing.T) {
	dir := t.TempDir()
	ours, theirs := filepath.Join(dir, "killpower"), filepath.Join(dir, "precious")
	os.WriteFile(ours, []byte(PowerDownMagic+"\n"), 0o600)
	os.WriteFile(theirs, []byte("precious data\n"), 0o600)
	var log strings.Builder
	c := &config.UpsmonConf{PowerDownFlag: ours}
	ClearPowerDownFlag(c, &log)
	if _, err := os.Stat(ours); !os.IsNotExist(err) || c.PowerDownFlag != ours {
		t.Errorf("upsmon's own flag: %v, flag %q", err, c.PowerDownFlag)
	}
	c = &config.UpsmonConf{PowerDownFlag: theirs}
	ClearPowerDownFlag(c, &log)
	if b, _ := os.ReadFile(theirs); string(b) != "precious data\n" || c.PowerDownFlag != "" || !strings.Contains(log.String(), "disabling") {
		t.Errorf("another file: %q, flag %q, log %q", b, c.PowerDownFlag, log.String())
	}
}
