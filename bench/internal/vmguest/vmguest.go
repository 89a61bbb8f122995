// Package vmguest is what the benchmarks that run in the test guest
// (test/vm) share: a directory to give it, the boot, and how it ran.
package vmguest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// Work makes a temporary directory for the guest's /host and copies
// files into it: each source to its path under the directory, executable.
// Remove it when done.
func Work(name string, files map[string]string) (string, error) {
	work, err := os.MkdirTemp("", name)
	if err != nil {
		return "", err
	}
	for src, dst := range files {
		b, err := os.ReadFile(src)
		if err == nil {
			to := filepath.Join(work, dst)
			if err = os.MkdirAll(filepath.Dir(to), 0o755); err == nil {
				err = os.WriteFile(to, b, 0o755)
			}
		}
		if err != nil {
			os.RemoveAll(work)
			return "", err
		}
	}
	return work, nil
}

// Run boots the guest with work at /host (test/vm/run.sh, from the
// repository's top, where `go run ./bench/...` runs), runs cmd there and
// returns what it printed; the harness's own lines go to standard error.
func Run(work, cmd string, timeout time.Duration) ([]byte, error) {
	run := exec.Command("bash", "test/vm/run.sh", work, cmd)
	run.Env = append(os.Environ(), fmt.Sprintf("NUTVM_TIMEOUT=%d", int(timeout.Seconds())))
	run.Stderr = os.Stderr
	b, err := run.Output()
	if err != nil {
		return b, fmt.Errorf("guest: %v\n%s", err, b)
	}
	return b, nil
}

// Accel says how run.sh boots the guest, by its rule: KVM only with a
// hardware-virtualization KVM module (kvm_intel, kvm_amd) behind a usable
// /dev/kvm, unless NUTVM_ACCEL says otherwise.
func Accel() string {
	const tcg = "software emulation (TCG, no hardware KVM): both sides several times slower than on hardware, the ratio holds"
	if a := os.Getenv("NUTVM_ACCEL"); a != "" {
		if a == "kvm" {
			return "KVM"
		}
		return tcg
	}
	if f, err := os.OpenFile("/dev/kvm", os.O_RDWR, 0); err == nil {
		f.Close()
		for _, m := range []string{"kvm_intel", "kvm_amd"} {
			if _, err := os.Stat("/sys/module/" + m); err == nil {
				return "KVM"
			}
		}
	}
	return tcg
}
