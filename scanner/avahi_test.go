package scanner_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"gonut/internal/nuttest"
	"gonut/scanner"
)

// start runs a program until the test ends (killed by its PID).
func start(t *testing.T, env []string, name string, args ...string) *nuttest.SyncBuffer {
	t.Helper()
	out := &nuttest.SyncBuffer{}
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return out
}

// startAvahi runs a D-Bus system bus of the test's own and an
// avahi-daemon on it, in a network namespace of its own (only its
// loopback: the services stay there) and a mount namespace whose
// /run/avahi-daemon is its own; it returns the bus's address.
func startAvahi(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"/usr/sbin/avahi-daemon", "/usr/bin/avahi-publish", "/usr/bin/dbus-daemon"} {
		if _, err := os.Stat(p); err != nil {
			t.Skipf("no %s: apt-get install avahi-daemon avahi-utils dbus", p)
		}
	}
	if os.Geteuid() != 0 {
		t.Skip("avahi-daemon in a network namespace needs root")
	}
	dir := t.TempDir()
	bus := filepath.Join(dir, "bus")
	conf := filepath.Join(dir, "bus.conf")
	os.WriteFile(conf, []byte(`<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=`+bus+`</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_type="method_call"/>
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
  </policy>
</busconfig>
`), 0o644)
	start(t, nil, "dbus-daemon", "--config-file="+conf, "--nofork", "--nopidfile")
	nuttest.Eventually(t, "the bus listens", func() (bool, string) {
		_, err := os.Stat(bus)
		return err == nil, nuttest.ErrString(err)
	})
	addr := "unix:path=" + bus
	ns := fmt.Sprintf("gonut-avahi%d", os.Getpid())
	if out, err := exec.Command("ip", "netns", "add", ns).CombinedOutput(); err != nil {
		t.Skipf("ip netns add: %v: %s", err, out)
	}
	t.Cleanup(func() {
		// What runs in the namespace is ours (avahi-daemon may not be
		// the process ip started).
		out, _ := exec.Command("ip", "netns", "pids", ns).Output()
		for _, pid := range strings.Fields(string(out)) {
			exec.Command("kill", pid).Run()
		}
		exec.Command("ip", "netns", "del", ns).Run()
	})
	exec.Command("ip", "-n", ns, "link", "set", "lo", "up").Run()
	// Only IPv4: a host with both answers either, as it comes (the
	// desc says which).
	exec.Command("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1").Run()
	avahiConf := filepath.Join(dir, "avahi-daemon.conf")
	os.WriteFile(avahiConf, []byte("[server]\nuse-ipv4=yes\nuse-ipv6=no\nenable-dbus=yes\n[publish]\npublish-hinfo=no\npublish-workstation=no\npublish-aaaa-on-ipv4=no\n"), 0o644)
	os.MkdirAll("/run/avahi-daemon", 0o755)
	log := start(t, []string{"DBUS_SYSTEM_BUS_ADDRESS=" + addr}, "ip", "netns", "exec", ns, "unshare", "-m", "sh", "-c",
		"mount -t tmpfs tmpfs /run/avahi-daemon && exec avahi-daemon -f "+avahiConf+" --no-drop-root --no-chroot --no-rlimits")
	nuttest.Eventually(t, "avahi-daemon starts", func() (bool, string) {
		return strings.Contains(log.String(), "Server startup complete"), log.String()
	})
	return addr
}

// publish publishes a service as avahi-publish -s does, until the test
// ends.
func publish(t *testing.T, bus string, args ...string) {
	t.Helper()
	out := start(t, []string{"DBUS_SYSTEM_BUS_ADDRESS=" + bus}, "avahi-publish", append([]string{"-s"}, args...)...)
	nuttest.Eventually(t, "avahi-publish "+strings.Join(args, " "), func() (bool, string) {
		return strings.Contains(out.String(), "Established under name"), out.String()
	})
}

// TestAvahiScanLikeDebian: on a real avahi-daemon, NUT servers published
// as _upsd._tcp services, with a device list or without (then the upsd
// behind it is asked, or the server alone listed): Debian's nut-scanner
// -A (libavahi-client) and ours (D-Bus) print the same; and the same
// complaint without a daemon.
func TestAvahiScanLikeDebian(t *testing.T) {
	if _, err := os.Stat(debianScanner); err != nil {
		t.Skip("Debian's nut-scanner is not installed: apt-get install nut-server, or run make check")
	}
	if !strings.Contains(nuttest.Exec("", debianScanner, "-a").Out, "AVAHI") {
		t.Skip("Debian's nut-scanner has no Avahi scan without libavahi-client3")
	}
	ours := nuttest.Build(t, "gonut/cmd/nut-scanner")
	// NUT's stops at avahi's "all for now" without waiting for the
	// resolutions it started: on a loaded machine it lists fewer
	// services, or none, where ours resolves each before reading on. A
	// run of Debian's that lists less is tried again (at most 3 times).
	compare := func(args ...string) {
		t.Helper()
		mine := nuttest.Exec("", ours, args...)
		var deb nuttest.Result
		for try := 0; try < 3; try++ {
			deb = nuttest.Exec("", debianScanner, args...)
			if deb.Out == mine.Out || !lessOf(deb.Out, mine.Out) {
				break
			}
			t.Logf("Debian's nut-scanner %s listed less than ours (NUT's race), again:\n%s", strings.Join(args, " "), deb.Out)
		}
		sameScan(t, deb, mine, strings.Join(args, " "))
	}

	t.Setenv("DBUS_SYSTEM_BUS_ADDRESS", "unix:path="+filepath.Join(t.TempDir(), "nobus"))
	compare("-A", "-t", "1")

	bus := startAvahi(t)
	t.Setenv("DBUS_SYSTEM_BUS_ADDRESS", bus)
	compare("-A", "-t", "1") // nothing published yet

	nuttest.NeedDebianNUT(t)
	stack := nuttest.NewStack(t, "[sim]\n\tdriver = dummy-ups\n\tport = sim.dev\n\tdesc = \"a simulated UPS\"\n",
		map[string]string{"sim.dev": "ups.status: OL\n"})
	stack.Start(nuttest.DebianDummy, "-a", "sim", "-u", "root", "-F")
	stack.WaitSocket("dummy-ups", "sim")
	stack.StartUpsd()
	nuttest.Eventually(t, "upsd serves", func() (bool, string) {
		r := nuttest.Exec("", "upsc", stack.Addr("sim"), "ups.status")
		return r.Code == 0, r.Out + r.Err
	})
	publish(t, bus, "listed", "_upsd._tcp", "3493", "txtvers=1", "protovers=1.0.0", "device_list=dev1;dev2")
	publish(t, bus, "elsewhere", "_upsd._tcp", "3999", "device_list=;ups3;;=x", "other=1")
	publish(t, bus, "upsd", "_upsd._tcp", fmt.Sprint(stack.Port))
	publish(t, bus, "nobody", "_upsd._tcp", fmt.Sprint(nuttest.FreePort(t)), "txtvers=1")
	publish(t, bus, "not NUT", "_http._tcp", "80", "device_list=web")
	compare("-A", "-t", "1")
	compare("-A", "-t", "1", "-P", "-q")
	if out := nuttest.Exec("", ours, "-A", "-q").Out; !strings.Contains(out, `port = "dev2@`) || !strings.Contains(out, `port = "sim@127.0.0.1"`) {
		t.Errorf("ours did not find the services:\n%s", out)
	}
}

// lessOf is whether each line of a is one of b's, and a has fewer.
func lessOf(a, b string) bool {
	have := map[string]bool{}
	for _, l := range strings.Split(b, "\n") {
		have[strings.TrimSpace(l)] = true
	}
	n := 0
	for _, l := range strings.Split(a, "\n") {
		if !have[strings.TrimSpace(l)] {
			return false
		}
		n++
	}
	return n < len(strings.Split(b, "\n"))
}

func TestAvahiDevices(t *testing.T) {
	for txt, want := range map[string][]string{
		`"txtvers=1" "device_list=dev1;dev2"`: {"dev1", "dev2"},
		`"device_list=;a;;b;"`:                {"a", "b"},
		`"device_list=a=b"`:                   {"a"},
		`"=device_list=x"`:                    {"x"},
		`"device_list="`:                      nil,
		`"Device_list=x"`:                     nil,
		`"device_list=x" "device_list=y"`:     {"x", "y"},
	} {
		if got := scanner.AvahiDevices(txt); !reflect.DeepEqual(got, want) {
			t.Errorf("AvahiDevices(%s) = %q, want %q", txt, got, want)
		}
	}
}

func FuzzAvahiDevices(f *testing.F) {
	f.Add([]byte("device_list=a;b"), []byte("txtvers=1"))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		for _, d := range scanner.AvahiDevices(scanner.AvahiTXT([][]byte{a, b})) {
			if d == "" || strings.ContainsAny(d, `;="`) {
				t.Errorf("%q %q: device %q", a, b, d)
			}
		}
	})
}
