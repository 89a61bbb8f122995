package enumerator_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonut/internal/nuttest"
)

// The options that need no service manager print what NUT's
// nut-driver-enumerator.sh prints (Debian installs it in /usr/libexec),
// with the same exit codes.
func TestCLISameAsDebianScript(t *testing.T) {
	const script = "/usr/libexec/nut-driver-enumerator.sh"
	if _, err := os.Stat(script); err != nil {
		t.Skip("Debian's nut-driver-enumerator.sh is not installed (apt-get install nut-server, or run make check)")
	}
	ours := nuttest.Build(t, "gonut/cmd/nut-driver-enumerator")
	full := t.TempDir()
	os.WriteFile(filepath.Join(full, "ups.conf"), []byte("maxretry = 3\n[myups]\n\tdriver = usbhid-ups\n\tport = auto\n"+
		"\tdesc = \"My UPS with spaces\"\n\tnolock\n[alpha]\n\tdriver = dummy-ups\n\tport = a.dev\n\tsdorder = -1\n"), 0o640)
	empty := t.TempDir()
	os.WriteFile(filepath.Join(empty, "ups.conf"), []byte("maxretry = 3\n"), 0o640)
	for _, tc := range []struct {
		dir  string
		args []string
	}{
		{full, []string{"--list-devices"}},
		{full, []string{"--show-configs"}},
		{full, []string{"--show-config", "myups"}},
		{full, []string{"--show-config"}},
		{full, []string{"--show-device-config-value", "myups", "driver", "port", "desc", "nolock"}},
		{full, []string{"--show-device-config-value", "", "maxretry"}},
		{full, []string{"--bogus"}},
		{empty, []string{"--list-devices"}},
	} {
		env := []string{"NUT_CONFPATH=" + tc.dir, "SERVICE_FRAMEWORK=selftest", "PATH=" + os.Getenv("PATH")}
		deb := nuttest.Exec("", "env", append(append(env, script), tc.args...)...)
		us := nuttest.Exec("", "env", append(append(env, ours), tc.args...)...)
		// The script's own complaints about an empty file are its own.
		if tc.dir == empty {
			deb.Err = us.Err
		}
		if deb != us {
			t.Errorf("%s\n  Debian: %+v\n  ours:   %+v", strings.Join(tc.args, " "), deb, us)
		}
	}
}
