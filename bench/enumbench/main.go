package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"gonut/bench/internal/vmguest"
)

func main() {
	n := flag.Int("n", 100, "sections in ups.conf")
	out := flag.String("out", "", "also write the report here")
	flag.Parse()
	if err := run(*n, *out); err != nil {
		fmt.Fprintln(os.Stderr, "enumbench:", err)
		os.Exit(1)
	}
}

func run(n int, out string) error {
	const debian = "/usr/libexec/nut-driver-enumerator.sh"
	if _, err := os.Stat(debian); err != nil {
		return fmt.Errorf("%s: install nut-server", debian)
	}
	work, err := vmguest.Work("enumbench", map[string]string{debian: "nut-driver-enumerator.sh", "bench/enumbench/guest-enum.sh": "guest-enum.sh"})
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	install := exec.Command("make", "install", "DESTDIR="+filepath.Join(work, "root"), "PREFIX=/usr")
	install.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := install.CombinedOutput(); err != nil {
		return fmt.Errorf("make install: %v\n%s", err, b)
	}
	b, err := vmguest.Run(work, fmt.Sprintf("N=%d bash guest-enum.sh", n), 20*time.Minute)
	if err != nil {
		return err
	}
	t := map[string]float64{}
	counts := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(string(b)))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 3 && f[0] == "TIME" {
			t[f[1]], _ = strconv.ParseFloat(f[2], 64)
		}
		if len(f) == 3 && f[0] == "COUNT" {
			counts[f[1]] = f[2]
		}
	}
	accel := vmguest.Accel()
	var r strings.Builder
	fmt.Fprintf(&r, "# nut-driver-enumerator: gonut against Debian's NUT 2.8.0\n\n")
	fmt.Fprintf(&r, "Measured %s in one Debian 12 guest under systemd (test/vm, %s), ups.conf with %d dummy-ups sections, drivers not started. "+
		"Debian's script made %s instances, gonut's %s.\n\n", time.Now().UTC().Format("2006-01-02"), accel, n, counts["debian"], counts["gonut"])
	fmt.Fprintf(&r, "| run | Debian's nut-driver-enumerator.sh | gonut | gonut faster by |\n|---|---|---|---|\n")
	for _, k := range []struct{ name, key string }{{"from nothing to 100 instances", "first"}, {"again, nothing to change", "nochange"}} {
		d, g := t["debian-"+k.key], t["gonut-"+k.key]
		fmt.Fprintf(&r, "| %s | %.2f s | %.3f s | %.0fx |\n", k.name, d, g, d/max(g, 0.001))
	}
	fmt.Print(r.String())
	if out != "" {
		return os.WriteFile(out, []byte(r.String()), 0o644)
	}
	return nil
}
