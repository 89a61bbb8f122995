// Package units_test checks the systemd units against gonut's own rules.
package units_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gonut/config"
)

// unitCondition is the shell script of a unit's ExecCondition line, as
// systemd hands it to /bin/sh -c ($$ is a literal $).
func unitCondition(t *testing.T, unit string) string {
	t.Helper()
	b, err := os.ReadFile(unit)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(l, "ExecCondition=/bin/sh -c '"); ok && strings.HasSuffix(rest, "'") {
			s := strings.TrimSuffix(rest, "'")
			if strings.Contains(s, "'") || strings.Contains(s, "%") || strings.Contains(strings.ReplaceAll(s, "$$", ""), "$") {
				t.Fatalf("%s: the condition must be one single-quoted word with no ', %% or systemd $ expansion: %s", unit, s)
			}
			return strings.ReplaceAll(strings.ReplaceAll(s, "$$", "$"), "@CONFDIR@", "/etc/nut")
		}
	}
	t.Fatalf("%s has no ExecCondition=/bin/sh -c '...'", unit)
	return ""
}

// Each unit's ExecCondition starts it exactly when config's rules say
// MODE starts its piece (the enumerator reads them): skipped (exit 1)
// otherwise, and failed (exit 255) with a message naming nut.conf and
// the value for a MODE that is none of NUT's four.
func TestUnitsFollowMode(t *testing.T) {
	units := map[string]config.Piece{
		"nut-driver-enumerator.service": config.PieceDrivers,
		"nut-driver@.service":           config.PieceDrivers,
		"nut-server.service":            config.PieceServer,
		"nut-monitor.service":           config.PieceMonitor,
	}
	for unit, piece := range units {
		script := unitCondition(t, unit)
		for _, mode := range []string{"", "none", "standalone", "netserver", "netclient"} {
			file := ""
			env := []string{"PATH=" + os.Getenv("PATH")}
			if mode != "" {
				file = "MODE=" + mode + "\n"
				env = append(env, "MODE="+mode)
			}
			path := filepath.Join(t.TempDir(), "nut.conf")
			os.WriteFile(path, []byte(file), 0o644)
			conf, err := config.LoadNutMode(path)
			if err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command("/bin/sh", "-c", script)
			cmd.Env = env
			out, err := cmd.CombinedOutput()
			code := cmd.ProcessState.ExitCode()
			want := 1
			if conf.Starts(piece) {
				want = 0
			}
			if code != want || len(out) > 0 {
				t.Errorf("%s with MODE=%q: exit %d %q (%v), want exit %d (config starts %s: %v)", unit, mode, code, out, err, want, piece, want == 0)
			}
		}
		cmd := exec.Command("/bin/sh", "-c", script)
		cmd.Env = []string{"MODE=netclinet"}
		out, _ := cmd.CombinedOutput()
		if code := cmd.ProcessState.ExitCode(); code != 255 || string(out) != "/etc/nut/nut.conf: MODE=netclinet: expected one of none, standalone, netserver, netclient\n" {
			t.Errorf("%s with MODE=netclinet: exit %d %q, want 255 and the reason", unit, code, out)
		}
	}
}

// The shutdown hook tells the UPS to cut the power when upsmon left its
// POWERDOWNFLAG, but not with MODE=none: NUT is off then, and a flag
// left from before must not cut the power at each shutdown.
func TestShutdownHookFollowsMode(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "log")
	for name, body := range map[string]string{
		"upsmon":    "exit 0\n", // -K: the flag is there
		"upsdrvctl": "echo \"upsdrvctl $*\" >> " + log + "\n",
	} {
		os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"+body), 0o755)
	}
	b, err := os.ReadFile("nutshutdown")
	if err != nil {
		t.Fatal(err)
	}
	hook := filepath.Join(dir, "nutshutdown")
	os.WriteFile(hook, []byte(strings.NewReplacer("@SBINDIR@", dir, "@CONFDIR@", dir).Replace(string(b))), 0o755)
	for file, cuts := range map[string]bool{
		"":                                    true,
		"MODE=standalone\n":                   true,
		"MODE=netclient\n":                    true,
		"MODE=none\n":                         false,
		"MODE='none'  # off\n":                false,
		"export MODE=\"none\"\n":              false,
		"MODE=none\nMODE=standalone\n":        true,
		"# MODE=none\nMODE=netserver\n":       true,
		"MODE=standalone\nexport MODE=none\n": false,
	} {
		os.WriteFile(filepath.Join(dir, "nut.conf"), []byte(file), 0o644)
		os.Remove(log)
		out, err := exec.Command("/bin/sh", hook).CombinedOutput()
		got, _ := os.ReadFile(log)
		if err != nil || (string(got) == "upsdrvctl shutdown\n") != cuts {
			t.Errorf("nut.conf %q: ran %q (%v %s), want the power cut: %v", file, got, err, out, cuts)
		}
	}
}

// The generator gives nut-server.socket a condition that fails for the
// boot (a drop-in in its normal directory) where MODE runs no upsd, and
// leaves it alone elsewhere; what it writes is a valid drop-in.
func TestGeneratorKeepsSocketOff(t *testing.T) {
	b, err := os.ReadFile("nut-mode-generator")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	gen := filepath.Join(dir, "nut-mode-generator")
	os.WriteFile(gen, []byte(strings.NewReplacer("@SBINDIR@", dir, "@CONFDIR@", dir).Replace(string(b))), 0o755)
	for file, piece := range map[string]bool{"": true, "MODE=none\n": false, "MODE=netclient\n": false, "MODE='netserver'\n": true,
		"MODE=standalone\n": true, "export MODE=\"netclient\" # remote\n": false} {
		path := filepath.Join(dir, "nut.conf")
		os.WriteFile(path, []byte(file), 0o644)
		conf, err := config.LoadNutMode(path)
		if err != nil {
			t.Fatal(err)
		}
		if conf.Starts(config.PieceServer) != piece {
			t.Fatalf("%q: config says upsd starts: %v", file, !piece)
		}
		normal, early, late := t.TempDir(), t.TempDir(), t.TempDir()
		if out, err := exec.Command("/bin/sh", gen, normal, early, late).CombinedOutput(); err != nil {
			t.Fatalf("%q: %v %s", file, err, out)
		}
		dropIn, err := os.ReadFile(filepath.Join(normal, "nut-server.socket.d", "50-nut-mode.conf"))
		if off := err == nil; off == piece {
			t.Errorf("nut.conf %q: socket kept off %v, want %v", file, off, !piece)
		} else if off && !strings.HasPrefix(string(dropIn), "[Unit]\nConditionPathExists=/run/nut/no-upsd-with-MODE-") {
			t.Errorf("nut.conf %q: drop-in %q", file, dropIn)
		}
	}
}
