package nutref

import (
	"bufio"
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
)

// Driver is Debian's usbhid-ups.
const Driver = "/lib/nut/usbhid-ups"

//go:embed testdata/libusb_shim.c
var shimSource []byte

// Available is nil when the reference can run, or says what is missing.
func Available() error {
	if _, err := os.Stat(Driver); err != nil {
		return fmt.Errorf("no Debian NUT usbhid-ups: %v", err)
	}
	if _, err := exec.LookPath("gcc"); err != nil {
		return errors.New("no gcc to build the libusb stand-in")
	}
	if _, err := os.Stat("/usr/include/libusb-1.0/libusb.h"); err != nil {
		return errors.New("no libusb-1.0 header (libusb-1.0-0-dev) to build the libusb stand-in")
	}
	return nil
}

// BuildShim compiles the libusb stand-in into dir and returns its path.
func BuildShim(dir string) (string, error) {
	src := filepath.Join(dir, "libusb_shim.c")
	so := filepath.Join(dir, "libusb_shim.so")
	if err := os.WriteFile(src, shimSource, 0o644); err != nil {
		return "", err
	}
	out, err := exec.Command("gcc", "-shared", "-fPIC", "-O2", "-Wall", "-o", so, src).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("gcc: %v\n%s", err, out)
	}
	return so, nil
}

// A Device is the USB device the stand-in plays.
type Device struct {
	VendorID, ProductID, BCD uint16
	Descriptor               string // file of the report descriptor in hex ('#' comments)
	Reports                  string // optional file of reports, one a line in hex, ID first
	SetLog                   string // optional file the stand-in appends each SET_REPORT to
}

// Run runs usbhid-ups on dev until its first update and returns its debug
// output. args are more driver arguments (-x explore, -x offdelay=...).
func Run(ctx context.Context, shim string, dev Device, args ...string) ([]byte, error) {
	state, err := os.MkdirTemp("", "nutref")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(state)
	me, err := user.Current()
	if err != nil {
		return nil, err
	}
	// run as whoever runs the tests (as root, NUT would drop to "nut")
	argv := append([]string{"-s", "nutref", "-x", "port=auto", "-u", me.Username, "-D", "-d", "1"}, args...)
	cmd := exec.CommandContext(ctx, Driver, argv...)
	cmd.Env = append(os.Environ(),
		"LD_PRELOAD="+shim,
		"NUT_STATEPATH="+state,
		"NUTSHIM_DESC="+dev.Descriptor,
		fmt.Sprintf("NUTSHIM_VID=%04x", dev.VendorID),
		fmt.Sprintf("NUTSHIM_PID=%04x", dev.ProductID),
		fmt.Sprintf("NUTSHIM_BCD=%04x", dev.BCD),
	)
	if dev.Reports != "" {
		cmd.Env = append(cmd.Env, "NUTSHIM_REPORTS="+dev.Reports)
	}
	if dev.SetLog != "" {
		cmd.Env = append(cmd.Env, "NUTSHIM_SETLOG="+dev.SetLog)
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return out.Bytes(), fmt.Errorf("%s: %v\n%s", Driver, err, out.Bytes())
	}
	return out.Bytes(), nil
}

// Paths are the "Path: ..." lines of a usbhid-ups debug output, without
// their timestamps and debug level. At debug level 5 (-DDDDD), a line
// whose value NUT read ends with what NUT printed as it converted it:
// " | LogMin: 0, LogMax: 511, PhyMin: 0, PhyMax: 0, Unit: 00f0d121,
// UnitExp: 7, Exponent: 0".
func Paths(out []byte) []string {
	var lines []string
	var ranges, unit, exp string
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		_, line, _ := strings.Cut(sc.Text(), "] ")
		switch {
		case strings.HasPrefix(line, "PhyMax = "):
			var phyMax, phyMin, logMax, logMin string
			fmt.Sscanf(strings.ReplaceAll(line, ",", ""), "PhyMax = %s PhyMin = %s LogMax = %s LogMin = %s", &phyMax, &phyMin, &logMax, &logMin)
			ranges = fmt.Sprintf("LogMin: %s, LogMax: %s, PhyMin: %s, PhyMax: %s", logMin, logMax, phyMin, phyMax)
		case strings.HasPrefix(line, "Unit = "):
			unit = strings.NewReplacer("Unit = ", "Unit: ", "UnitExp = ", "UnitExp: ").Replace(line)
		case strings.HasPrefix(line, "Exponent = "):
			exp = strings.Replace(line, " = ", ": ", 1)
		}
		if p, ok := strings.CutPrefix(sc.Text()[strings.Index(sc.Text(), "\t")+1:], "[D1] Path: "); ok {
			if ranges != "" && exp != "" {
				p += " | " + ranges + ", " + unit + ", " + exp
			}
			lines = append(lines, "Path: "+p)
			ranges, unit, exp = "", "", ""
		}
	}
	return lines
}

// Dump is what usbhid-ups -d 1 prints of its variables once it has read
// the device: "name: value" lines, in NUT's order.
func Dump(out []byte) []string {
	var lines []string
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		name, _, ok := strings.Cut(line, ": ")
		if ok && name != "" && strings.Trim(name, "abcdefghijklmnopqrstuvwxyz0123456789._") == "" && line[0] != ' ' {
			lines = append(lines, line)
		}
	}
	return lines
}
