package enumerator

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"gonut/internal/cli"
	"gonut/internal/nuttest"
)

// nut.conf's MODE decides whether this host runs drivers: with none or
// netclient, an update leaves no driver instance (and says why), and the
// daemon withdraws them as soon as MODE changes; standalone brings them
// back. A MODE that is none of NUT's four changes nothing and names
// the file and line.
func TestModeDecidesDrivers(t *testing.T) {
	s := newStandin(t)
	confDir := t.TempDir()
	os.WriteFile(filepath.Join(confDir, "ups.conf"), []byte(smfConf), 0o644)
	nutConf := filepath.Join(confDir, "nut.conf")
	env := map[string]string{"NUT_CONFPATH": confDir, "GONUT_SMF_BINDIR": s.bin}
	update := func() (string, int) {
		var out, errb strings.Builder
		code := Main([]string{"nut-driver-enumerator"}, func(k string) string { return env[k] }, cli.Stdio{In: strings.NewReader(""), Out: &out, Err: &errb})
		return out.String() + errb.String(), code
	}
	for _, c := range []struct {
		file string
		want int
		says string
	}{
		{"", 4, ""},
		{"MODE=netclient\n", 0, "MODE=netclient in " + nutConf + ": no drivers run on this host (4 sections of ups.conf left out)"},
		{"MODE=standalone\n", 4, ""},
		{"MODE=none\n", 0, "MODE=none in " + nutConf},
		{"MODE=netserver\n", 4, ""},
		{"# x\nMODE=netclinet\n", 4, nutConf + ":2: MODE=netclinet: expected one of none, standalone, netserver, netclient"},
	} {
		os.WriteFile(nutConf, []byte(c.file), 0o644)
		out, code := update()
		if n := len(s.drivers(t)); n != c.want || !strings.Contains(out, c.says) || c.says == "" && strings.Contains(out, "MODE") {
			t.Errorf("nut.conf %q: %d instances (exit %d), want %d; said %q, want %q", c.file, n, code, c.want, out, c.says)
		}
	}

	os.WriteFile(nutConf, []byte("MODE=standalone\n"), 0o644)
	bin := nuttest.Build(t, "gonut/cmd/nut-driver-enumerator")
	cmd := exec.Command(bin, "--daemon=3600")
	cmd.Env = []string{"NUT_CONFPATH=" + confDir, "GONUT_SMF_BINDIR=" + s.bin, "PATH=" + os.Getenv("PATH")}
	// Its own process group: the stand-in's commands it runs go with it,
	// before the test's directories are removed.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL); cmd.Wait() }()
	count := func(n int) func() (bool, string) {
		return func() (bool, string) {
			// The stand-in may be writing its repository: read it whole.
			var r smfRepo
			b, _ := os.ReadFile(filepath.Join(s.dir, "repo.json"))
			if json.Unmarshal(b, &r) != nil {
				return false, "repository being written"
			}
			d := r.Services["system/power/nut-driver"].Instances
			return len(d) == n, fmt.Sprintf("%d instances", len(d))
		}
	}
	nuttest.Eventually(t, "the daemon keeps 4 instances", count(4))
	os.WriteFile(nutConf, []byte("MODE=netclient\n"), 0o644)
	nuttest.Eventually(t, "MODE=netclient withdraws them", count(0))
	os.WriteFile(nutConf, []byte("MODE=netserver\n"), 0o644)
	nuttest.Eventually(t, "MODE=netserver brings them back", count(4))
}
