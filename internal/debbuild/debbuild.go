// Package debbuild builds gonut's Debian packages (debian/) from a copy of
// the source tree, for the tests that check and install them.
package debbuild

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// Build copies the tree at top (the files git tracks or would track, but
// bin/) into out/src, runs `dpkg-buildpackage -us -uc -b` there, and
// returns the paths of the .deb files it wrote into out, and of its
// .changes file. env is added to the build's environment (Quick, for
// one).
func Build(top, out string, env ...string) (debs []string, changes string, err error) {
	src := filepath.Join(out, "src")
	list, err := exec.Command("git", "-C", top, "ls-files", "-co", "--exclude-standard", "-z").Output()
	if err != nil {
		return nil, "", fmt.Errorf("git ls-files in %s: %v", top, err)
	}
	for _, f := range strings.Split(string(list), "\x00") {
		if f == "" || strings.HasPrefix(f, "bin/") {
			continue
		}
		if err := copyFile(filepath.Join(top, f), filepath.Join(src, f)); err != nil {
			return nil, "", err
		}
	}
	cmd := exec.Command("dpkg-buildpackage", "-us", "-uc", "-b")
	cmd.Dir = src
	// The go that runs this test builds the packages too.
	cmd.Env = append(os.Environ(), "PATH="+filepath.Join(runtime.GOROOT(), "bin")+":"+os.Getenv("PATH"))
	cmd.Env = append(cmd.Env, env...)
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Run(); err != nil {
		return nil, "", fmt.Errorf("dpkg-buildpackage: %v\n%s", err, log.String())
	}
	debs, _ = filepath.Glob(filepath.Join(out, "*.deb"))
	ch, _ := filepath.Glob(filepath.Join(out, "*.changes"))
	if len(debs) == 0 || len(ch) != 1 {
		return nil, "", fmt.Errorf("dpkg-buildpackage wrote %d .deb and %d .changes files in %s\n%s", len(debs), len(ch), out, log.String())
	}
	return debs, ch[0], nil
}

// Quick is Build's environment for packages that are installed, not
// shipped: the same packages from the same debian/rules, without the
// -dbgsym packages and with their data uncompressed. dpkg-deb's xz takes
// most of a build's time: 58 s warm with it, 14 s without.
var Quick = []string{"DEB_BUILD_OPTIONS=noddebs", "DPKG_DEB_COMPRESSOR_TYPE=none"}

func copyFile(from, to string) error {
	fi, err := os.Lstat(from)
	if err != nil {
		if os.IsNotExist(err) { // deleted but not yet committed
			return nil
		}
		return err
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return err
	}
	if fi.Mode()&os.ModeSymlink != 0 {
		target, err := os.Readlink(from)
		if err != nil {
			return err
		}
		return os.Symlink(target, to)
	}
	b, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, b, fi.Mode().Perm())
}
