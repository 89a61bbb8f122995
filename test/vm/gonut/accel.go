package gonut

import "os"

// HardwareKVM tells whether run.sh boots the guest under KVM, by its rule:
// a usable /dev/kvm backed by kvm_intel or kvm_amd. A /dev/kvm backed by
// kvm_pvm cannot boot a stock kernel, and run.sh uses TCG there.
func HardwareKVM() bool {
	if a := os.Getenv("NUTVM_ACCEL"); a != "" {
		return a == "kvm"
	}
	f, err := os.OpenFile("/dev/kvm", os.O_RDWR, 0)
	if err != nil {
		return false
	}
	f.Close()
	for _, m := range []string{"kvm_intel", "kvm_amd"} {
		if _, err := os.Stat("/sys/module/" + m); err == nil {
			return true
		}
	}
	return false
}
