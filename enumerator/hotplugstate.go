package enumerator

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gonut/config"
	"gonut/enumerator/hotplug"
	"gonut/enumerator/udevwatch"
)

// Hotplug is what the daemon knows of the USB devices plugged in, and
// what it made of each: it keeps the runtime sections (a file each in
// Dir) in step with the devices and the policy.
type Hotplug struct {
	Dir     string // nutenv's HotplugDir
	present map[string]hotplug.Device
	told    map[string]string // SysPath: the last decision logged
	claimed map[string]string // SysPath: the ups.conf section that claims it
}

// NewHotplug starts with the devices plugged in now.
func NewHotplug(dir string, present []hotplug.Device) *Hotplug {
	h := &Hotplug{Dir: dir, present: map[string]hotplug.Device{}, told: map[string]string{}, claimed: map[string]string{}}
	for _, d := range present {
		h.present[d.SysPath] = d
	}
	return h
}

// Apply notes a device that came or went. A device told of twice (an
// event and the scan at start) is one device.
func (h *Hotplug) Apply(ev udevwatch.Event) {
	if ev.Remove {
		delete(h.present, ev.Device.SysPath)
		delete(h.told, ev.Device.SysPath)
		delete(h.claimed, ev.Device.SysPath)
		return
	}
	h.present[ev.Device.SysPath] = ev.Device
}

// Sync decides for every device plugged in, writes the runtime sections
// that policy asks for and removes the others, logging each device's
// decision once (and again when it changes). It returns the ups.conf
// sections that newly claim a device: their drivers should run now.
func (h *Hotplug) Sync(conf *config.UPSConf, policy hotplug.Policy, log io.Writer) (claimed []string, err error) {
	host, _ := os.Hostname()
	var usb []*config.UPS
	for _, u := range conf.UPS {
		if m, _ := Media(u, host); m == "usb" && !u.Runtime {
			usb = append(usb, u)
		}
	}
	have := func(driver string) bool {
		fi, err := os.Stat(filepath.Join(conf.DriverPath(), driver))
		return err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0
	}
	paths := make([]string, 0, len(h.present))
	for p := range h.present {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	want := map[string]*config.UPS{}
	for _, p := range paths {
		dev := h.present[p]
		d := hotplug.Decide(dev, usb, policy, have)
		if d.Action == hotplug.Runtime {
			if prev, ok := want[d.Section]; ok {
				d = hotplug.Decision{Reason: fmt.Sprintf("%s: its section [%s] is another device's already (%s)", dev, d.Section, prev.Desc)}
			} else {
				want[d.Section] = d.UPS
			}
		}
		if h.told[p] != d.Reason {
			h.told[p] = d.Reason
			fmt.Fprintf(log, "USB device %s\n", d.Reason)
		}
		if d.Action == hotplug.Admin && h.claimed[p] != d.Section {
			claimed = append(claimed, d.Section)
		}
		if d.Action == hotplug.Admin {
			h.claimed[p] = d.Section
		} else {
			delete(h.claimed, p)
		}
	}
	return claimed, h.write(want)
}

// write makes Dir hold exactly the runtime sections wanted.
func (h *Hotplug) write(want map[string]*config.UPS) error {
	files, err := os.ReadDir(h.Dir)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	for _, f := range files {
		name, ok := strings.CutSuffix(f.Name(), config.RuntimeSuffix)
		if _, wanted := want[name]; ok && !wanted {
			if err := os.Remove(filepath.Join(h.Dir, f.Name())); err != nil {
				return err
			}
		}
	}
	for name, u := range want {
		text := runtimeHeader + (&config.UPSConf{UPS: []*config.UPS{u}}).Format()
		if old, err := os.ReadFile(config.RuntimeFile(h.Dir, name)); err == nil && string(old) == text {
			continue
		}
		if err := config.WriteRuntimeSection(h.Dir, u, runtimeHeader); err != nil {
			return err
		}
	}
	return nil
}

const runtimeHeader = "# Written by nut-driver-enumerator for a hot-plugged USB UPS that no section\n" +
	"# of ups.conf claims; removed when it is unplugged. Copy it to ups.conf to keep it.\n"

// startClaimed starts the drivers of ups.conf sections that a device
// plugged in claims, unless they are masked: one that runs is left as it
// is, one that waits to be restarted (it found no device) starts now.
func startClaimed(ctx context.Context, b Backend, sections []string, log io.Writer) {
	for _, s := range sections {
		name := InstanceName(s)
		if b.Masked(ctx, name) {
			continue
		}
		if err := b.Start(ctx, name); err != nil {
			fmt.Fprintf(log, "starting %s for its device: %v\n", UnitName(name, ".service"), err)
		} else {
			fmt.Fprintf(log, "Started %s: its device is plugged in\n", UnitName(name, ".service"))
		}
	}
}

// readPolicy reads NUT_HOTPLUG from nut.conf (the default when the file
// or the setting is missing, or the value is not one).
func readPolicy(path string) (hotplug.Policy, error) {
	c, _ := config.LoadNutConf(path)
	if c == nil {
		return hotplug.DefaultPolicy, nil
	}
	v, _ := c.Get(hotplug.Setting)
	p, err := hotplug.ParsePolicy(v)
	if err != nil {
		return p, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}
