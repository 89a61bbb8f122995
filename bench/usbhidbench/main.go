package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"gonut/bench/internal/vmguest"
)

const debianDriver = "/lib/nut/usbhid-ups"

func main() {
	guest := flag.Bool("guest", false, "run the measurements (inside the guest, in /host)")
	n := flag.Int("n", 10, "power failures of each kind for each driver")
	idle := flag.Duration("idle", time.Minute, "how long each driver is watched idle")
	out := flag.String("out", "", "also write the report here")
	flag.Parse()
	var err error
	if *guest {
		err = runGuest(*n, *idle)
	} else {
		err = run(*n, *idle, *out)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "usbhidbench:", err)
		os.Exit(1)
	}
}

// run builds what the guest needs, boots it, and reports what it measured.
func run(n int, idle time.Duration, out string) error {
	if _, err := os.Stat(debianDriver); err != nil {
		return fmt.Errorf("%s: install nut-server", debianDriver)
	}
	work, err := vmguest.Work("usbhidbench", map[string]string{
		debianDriver: "nut/usbhid-ups", "test/usbsim/devices/apc-back-ups-xs-1400u.usbdev": "apc.usbdev"})
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	bin := filepath.Join(work, "bin") + "/"
	for _, b := range []struct {
		cgo  string
		pkgs []string
	}{
		// Static: the guest's libraries are not the host's concern.
		{"0", []string{"gonut/test/usbsim", "gonut/cmd/upsd", "gonut/bench/usbhidbench"}},
		// Ours needs libusb, linked as Debian's is: the guest is Debian 12 too.
		{"1", []string{"gonut/cmd/usbhid-ups"}},
	} {
		build := exec.Command("go", append([]string{"build", "-o", bin}, b.pkgs...)...)
		build.Env = append(os.Environ(), "CGO_ENABLED="+b.cgo)
		if out, err := build.CombinedOutput(); err != nil {
			return fmt.Errorf("go build: %v\n%s", err, out)
		}
	}
	b, err := vmguest.Run(work, fmt.Sprintf("bin/usbhidbench -guest -n %d -idle %s", n, idle), 30*time.Minute)
	if err != nil {
		return err
	}
	r, err := report(string(b), n, idle)
	if err != nil {
		return fmt.Errorf("%v\nthe guest said:\n%s", err, b)
	}
	fmt.Print(r)
	if out != "" {
		return os.WriteFile(out, []byte(r), 0o644)
	}
	return nil
}

// report reads the guest's RESULT and IDLE lines and writes the report.
func report(guest string, n int, idle time.Duration) (string, error) {
	lat := map[string][]float64{} // "debian interrupt" -> milliseconds
	idles := map[string][]string{}
	sc := bufio.NewScanner(strings.NewReader(guest))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) >= 3 && f[0] == "RESULT":
			for _, v := range f[3:] {
				ms, err := strconv.ParseFloat(v, 64)
				if err != nil {
					return "", fmt.Errorf("bad RESULT line %q", sc.Text())
				}
				lat[f[1]+" "+f[2]] = append(lat[f[1]+" "+f[2]], ms)
			}
		case len(f) == 5 && f[0] == "IDLE":
			idles[f[1]] = f[2:]
		}
	}
	var r strings.Builder
	fmt.Fprintf(&r, "# usbhid-ups: gonut against Debian's NUT 2.8.0\n\n")
	fmt.Fprintf(&r, "Measured %s in one Debian 12 guest (test/vm, %s). Both drivers read the same simulated APC Back-UPS XS 1400U "+
		"(test/usbsim, over USB/IP and vhci-hcd) through gonut's upsd, one after the other, with NUT's default pollinterval of 2 s; "+
		"a client asks upsd for ups.status every 2 ms over one connection.\n\n", time.Now().UTC().Format("2006-01-02"), vmguest.Accel())
	fmt.Fprintf(&r, "## Mains lost: until upsd shows OB\n\n")
	fmt.Fprintf(&r, "%d power failures of each kind for each driver, each at a random moment of the poll cycle; the time runs from the one write that makes the simulator change its reports (and send its interrupt report) to the first answer of upsd that says OB.\n\n", n)
	fmt.Fprintf(&r, "| how the UPS says it | Debian median | Debian p90 | gonut median | gonut p90 | gonut / Debian (median) |\n|---|---|---|---|---|---|\n")
	for _, p := range []struct{ key, name string }{
		{"interrupt", "feature reports change and an interrupt report is sent (as a real UPS does)"},
		{"feature", "feature reports change, no interrupt report"},
	} {
		d, g := lat["debian "+p.key], lat["gonut "+p.key]
		if len(d) == 0 || len(g) == 0 {
			return "", fmt.Errorf("no %s results", p.key)
		}
		fmt.Fprintf(&r, "| %s | %.0f ms | %.0f ms | %.1f ms | %.1f ms | %.3f |\n", p.name,
			quantile(d, 0.5), quantile(d, 0.9), quantile(g, 0.5), quantile(g, 0.9), quantile(g, 0.5)/quantile(d, 0.5))
	}
	fmt.Fprintf(&r, "\n## Idle\n\nEach driver with the UPS on mains, nothing changing, watched for %s after its power failures.\n\n", idle)
	fmt.Fprintf(&r, "| driver | RSS | CPU per minute | context switches per minute |\n|---|---|---|---|\n")
	for _, d := range []struct{ key, name string }{{"debian", "Debian"}, {"gonut", "gonut"}, {"gonut-pollonly", "gonut with pollonly (no interrupt reader)"}} {
		v := idles[d.key]
		if v == nil {
			return "", fmt.Errorf("no IDLE line for %s", d.key)
		}
		fmt.Fprintf(&r, "| %s | %s KiB | %s ms | %s |\n", d.name, v[0], v[1], v[2])
	}
	rss := func(d string) float64 { x, _ := strconv.ParseFloat(idles[d][0], 64); return x }
	cpu := func(d string) float64 { x, _ := strconv.ParseFloat(idles[d][1], 64); return x }
	fmt.Fprintf(&r, "\nRatios, gonut / Debian: RSS %.2f, CPU %.2f.\n", rss("gonut")/rss("debian"), cpu("gonut")/max(cpu("debian"), 0.001))
	return r.String(), nil
}

func quantile(xs []float64, q float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[min(len(s)-1, int(q*float64(len(s))))]
}
