package daemon

import (
	"log/slog"
	"slices"
	"testing"
)

// The shared options read as NUT's daemons read them: the last of -F and
// -B wins, -F twice is -FF, -D alone keeps a daemon in the foreground,
// and upsdrvctl passes on what it was given.
func TestFlags(t *testing.T) {
	for _, c := range []struct {
		opts       string
		foreground bool // with -D's default
		mode       []string
		level      slog.Level
	}{
		{"", false, nil, slog.LevelInfo},
		{"D", true, nil, slog.LevelDebug},
		{"DB", false, []string{"-B"}, slog.LevelDebug},
		{"F", true, []string{"-F"}, slog.LevelInfo},
		{"FF", true, []string{"-FF"}, slog.LevelInfo},
		{"FFF", true, []string{"-FF"}, slog.LevelInfo},
		{"FB", false, []string{"-B"}, slog.LevelInfo},
		{"BF", true, []string{"-F"}, slog.LevelInfo},
		{"FBF", true, []string{"-F"}, slog.LevelInfo},
		{"q", false, nil, slog.LevelWarn},
		{"qD", true, nil, slog.LevelDebug},
	} {
		var f Flags
		for i := range len(c.opts) {
			if ok, err := f.Take(c.opts[i], ""); !ok || err != nil {
				t.Fatalf("-%c: %v, %v", c.opts[i], ok, err)
			}
		}
		if got := f.InForeground(f.Debug > 0); got != c.foreground {
			t.Errorf("-%s: in the foreground %v, want %v", c.opts, got, c.foreground)
		}
		if got := f.ModeArgs(); !slices.Equal(got, c.mode) {
			t.Errorf("-%s: passes on %q, want %q", c.opts, got, c.mode)
		}
		if got := f.Level(slog.LevelInfo); got != c.level {
			t.Errorf("-%s: level %v, want %v", c.opts, got, c.level)
		}
	}
}

func TestFlagValues(t *testing.T) {
	var f Flags
	for _, o := range []struct {
		name  byte
		value string
	}{{'u', "nut"}, {'r', "/chroot"}, {'c', "reload"}, {'P', "42"}} {
		if ok, err := f.Take(o.name, o.value); !ok || err != nil {
			t.Fatalf("-%c %s: %v, %v", o.name, o.value, ok, err)
		}
	}
	if f != (Flags{User: "nut", Chroot: "/chroot", Command: "reload", PID: 42}) {
		t.Errorf("got %+v", f)
	}
	for _, bad := range []string{"", "x", "-1", "12a"} {
		if _, err := f.Take('P', bad); err == nil {
			t.Errorf("-P %q taken", bad)
		}
	}
	if ok, _ := f.Take('x', "1"); ok {
		t.Errorf("-x taken as a shared option")
	}
}
