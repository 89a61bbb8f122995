package gonut

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"gonut/internal/debbuild"
)

// gonut's packages over Debian's (guest-deb.sh): Debian's nut-server and
// nut-client installed and configured as an admin does, then gonut's
// .debs installed over them with dpkg -i (the same /etc/nut serves, no
// edit), then purged. One boot. The guest image is not changed: Debian's
// packages, and those of their dependencies the image lacks, are
// downloaded here and installed in the guest.
func TestDebOverDebianNUT(t *testing.T) {
	// Two guests at a time once the others (whose limits want a guest
	// alone) are done: make check must stay under 20 minutes on CI.
	t.Parallel()
	here, work := guestTest(t)
	top := filepath.Join(here, "..", "..", "..")

	t0 := time.Now()
	debianNUT(t, here, filepath.Join(work, "nut"))
	t.Logf("Debian's nut-server, nut-client and what the image lacks of their dependencies: downloaded in %v", time.Since(t0).Round(time.Second))

	// gonut's packages are built while the guest boots and installs
	// Debian's NUT; the guest waits for gonut/READY (or gonut/FAILED).
	out, dir := t.TempDir(), filepath.Join(work, "gonut")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	built := make(chan string, 1)
	go func() { built <- buildDebs(top, out, dir) }()
	defer func() {
		if msg := <-built; strings.HasPrefix(msg, "FAILED") {
			t.Error(msg)
		} else {
			t.Log(msg)
		}
	}()

	b, err := os.ReadFile(filepath.Join(here, "guest-deb.sh"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(work, "guest-deb.sh"), b, 0o755); err != nil {
		t.Fatal(err)
	}
	t0 = time.Now()
	runGuest(t, work, "bash guest-deb.sh", 900)
	t.Logf("guest run: %v", time.Since(t0).Round(time.Second))
}

// buildDebs builds gonut's packages as `make deb` does (debbuild.Quick:
// no -dbgsym packages, data uncompressed) and moves gonut-server's and
// gonut-client's into dir (gonut-web is no part of Debian's nut-server
// or nut-client), then writes dir/READY; or dir/FAILED, saying why. It
// returns what it wrote.
func buildDebs(top, out, dir string) string {
	t0 := time.Now()
	msg := func() string {
		debs, _, err := debbuild.Build(top, out, debbuild.Quick...)
		if err != nil {
			return "FAILED: " + err.Error()
		}
		for _, deb := range debs {
			if name := filepath.Base(deb); strings.HasPrefix(name, "gonut-server_") || strings.HasPrefix(name, "gonut-client_") {
				if err := os.Rename(deb, filepath.Join(dir, name)); err != nil {
					return "FAILED: " + err.Error()
				}
				if err := laterVersion(filepath.Join(dir, name), filepath.Join(dir, "up", name)); err != nil {
					return "FAILED: " + err.Error()
				}
			}
		}
		return fmt.Sprintf("READY: gonut's packages built (dpkg-buildpackage, debbuild.Quick) in %v", time.Since(t0).Round(time.Second))
	}()
	marker := strings.SplitN(msg, ":", 2)[0]
	os.WriteFile(filepath.Join(dir, marker), []byte(msg+"\n"), 0o644)
	return msg
}

// laterVersion writes to as the package from, repacked under its version
// with "+up1" added (and gonut-server's dependency on gonut-client of its
// own version likewise), for the guest's upgrade: here, where dpkg-deb
// runs at native speed, not in the emulated guest. gzip: the guest reads
// an uncompressed package over its shared folder more slowly than it
// inflates a compressed one (91 s against 36 s for the upgrade).
func laterVersion(from, to string) error {
	tree, err := os.MkdirTemp("", "repack-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tree)
	if out, err := exec.Command("dpkg-deb", "-R", from, tree).CombinedOutput(); err != nil {
		return fmt.Errorf("dpkg-deb -R %s: %v: %s", from, err, out)
	}
	control := filepath.Join(tree, "DEBIAN", "control")
	b, err := os.ReadFile(control)
	if err != nil {
		return err
	}
	c := regexp.MustCompile(`(?m)^(Version: .*)$`).ReplaceAllString(string(b), "${1}+up1")
	c = regexp.MustCompile(`(gonut-client \(= [^)]*)\)`).ReplaceAllString(c, "${1}+up1)")
	if err := os.WriteFile(control, []byte(c), 0o644); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return err
	}
	if out, err := exec.Command("dpkg-deb", "-Zgzip", "-b", tree, to).CombinedOutput(); err != nil {
		return fmt.Errorf("dpkg-deb -b %s: %v: %s", to, err, out)
	}
	return nil
}

// debianNUT downloads into dir Debian's nut-server and nut-client and
// those of their dependencies that the guest image lacks: apt resolves
// them against the image's own dpkg status, read from the image (ext4)
// with debugfs, without mounting it.
func debianNUT(t *testing.T, here, dir string) {
	t.Helper()
	// The image is built (or found up to date) first, as run.sh does.
	if out, err := exec.Command("bash", filepath.Join(here, "..", "build-image.sh")).CombinedOutput(); err != nil {
		t.Fatalf("the VM harness failed to build its image: %v\n%s", err, out)
	}
	cache := os.Getenv("NUTVM_CACHE")
	if cache == "" {
		base := os.Getenv("XDG_CACHE_HOME")
		if base == "" {
			base = filepath.Join(os.Getenv("HOME"), ".cache")
		}
		cache = filepath.Join(base, "nutvm")
	}
	status, err := exec.Command("debugfs", "-R", "cat /var/lib/dpkg/status", filepath.Join(cache, "image", "rootfs.img")).Output()
	if err != nil || !strings.Contains(string(status), "Package: systemd\n") {
		t.Fatalf("debugfs: the guest image's dpkg status: %v\n%.200s", err, status)
	}
	statusFile := filepath.Join(t.TempDir(), "status")
	if err := os.WriteFile(statusFile, status, 0o644); err != nil {
		t.Fatal(err)
	}
	sim, err := exec.Command("apt-get", "-s", "-o", "Dir::State::status="+statusFile, "--no-install-recommends",
		"install", "nut-server", "nut-client").CombinedOutput()
	if err != nil {
		t.Fatalf("apt-get -s install nut-server nut-client (against the image's packages): %v\n%s", err, sim)
	}
	var pkgs []string
	for _, l := range strings.Split(string(sim), "\n") {
		if f := strings.Fields(l); len(f) > 1 && f[0] == "Inst" {
			pkgs = append(pkgs, f[1])
		}
	}
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	get := exec.Command("apt-get", append([]string{"download", "-q"}, pkgs...)...)
	get.Dir = dir
	if out, err := get.CombinedOutput(); err != nil {
		t.Fatalf("apt-get download %v: %v\n%s", pkgs, err, out)
	}
	t.Logf("the guest gets %v", pkgs)
}
