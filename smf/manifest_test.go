package smf_test

import (
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// install puts the SMF files where `make install-smf` puts them, with
// the Makefile's substitutions, and returns the manifest and method dirs.
func install(t *testing.T) (manifests, methods string) {
	t.Helper()
	root := t.TempDir()
	out, err := exec.Command("make", "-s", "-C", "..", "install-smf", "DESTDIR="+root,
		"SMFMANIFESTDIR=/lib/svc/manifest/system/power", "SMFMETHODDIR=/lib/svc/method", "SBINDIR=/usr/sbin", "RUN_AS_USER=ups").CombinedOutput()
	if err != nil {
		t.Fatalf("make install-smf: %v\n%s", err, out)
	}
	return filepath.Join(root, "lib/svc/manifest/system/power"), filepath.Join(root, "lib/svc/method")
}

// xmllint validates a manifest against illumos's service_bundle DTD.
func xmllint(t *testing.T, file string) error {
	t.Helper()
	dtd, _ := filepath.Abs("service_bundle.dtd.1")
	out, err := exec.Command("xmllint", "--noout", "--nonet", "--dtdvalid", dtd, file).CombinedOutput()
	if err != nil {
		return &lintError{string(out)}
	}
	return nil
}

type lintError struct{ out string }

func (e *lintError) Error() string { return e.out }

func needXmllint(t *testing.T) {
	if _, err := exec.LookPath("xmllint"); err != nil {
		t.Skip("xmllint not found (apt-get install libxml2-utils, or run make check)")
	}
}

// Every manifest, as installed, is valid against SMF's DTD, and the
// check catches a manifest that is not.
func TestManifestsValid(t *testing.T) {
	needXmllint(t)
	manifests, _ := install(t)
	files, _ := filepath.Glob(filepath.Join(manifests, "*.xml"))
	if len(files) != 5 {
		t.Fatalf("installed manifests: %q", files)
	}
	for _, f := range files {
		if err := xmllint(t, f); err != nil {
			t.Errorf("%s: %v", filepath.Base(f), err)
		}
	}
	// An instance before the service's dependencies is out of the DTD's order.
	b, _ := os.ReadFile(filepath.Join(manifests, "nut-server.xml"))
	bad := strings.Replace(string(b), "<create_default_instance enabled='false' />", "<create_default_instance enabled='maybe' />", 1)
	badFile := filepath.Join(t.TempDir(), "bad.xml")
	os.WriteFile(badFile, []byte(bad), 0o644)
	if xmllint(t, badFile) == nil {
		t.Error("xmllint took a manifest with enabled='maybe'")
	}
}

type bundle struct {
	Service struct {
		Name         string `xml:"name,attr"`
		Dependencies []struct {
			Name  string `xml:"name,attr"`
			Type  string `xml:"type,attr"`
			FMRIs []struct {
				Value string `xml:"value,attr"`
			} `xml:"service_fmri"`
		} `xml:"dependency"`
		Dependents []struct {
			FMRI struct {
				Value string `xml:"value,attr"`
			} `xml:"service_fmri"`
		} `xml:"dependent"`
		Methods   []method `xml:"exec_method"`
		Instances []struct {
			Name    string   `xml:"name,attr"`
			Methods []method `xml:"exec_method"`
		} `xml:"instance"`
		PGs []struct {
			Name  string `xml:"name,attr"`
			Props []struct {
				Name  string `xml:"name,attr"`
				Value string `xml:"value,attr"`
			} `xml:"propval"`
		} `xml:"property_group"`
	} `xml:"service"`
}

type method struct {
	Name string `xml:"name,attr"`
	Exec string `xml:"exec,attr"`
}

// The manifests hold together: every FMRI of svc:/system/power/ they name
// is one of them, every program and method script they run is one that
// make installs, and they run the daemons as the user the systemd units
// do (one Makefile variable for both).
func TestManifestsConsistent(t *testing.T) {
	manifests, methods := install(t)
	files, _ := filepath.Glob(filepath.Join(manifests, "*.xml"))
	services := map[string]bool{}
	var all []bundle
	for _, f := range files {
		b, _ := os.ReadFile(f)
		var m bundle
		if err := xml.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		services["svc:/"+m.Service.Name] = true
		all = append(all, m)
	}
	fmriRe := regexp.MustCompile(`^(svc:/system/power/[a-z-]+)(:[a-z]+)?$`)
	execRe := regexp.MustCompile(`^(/\S+)`)
	programs, _ := filepath.Glob("../cmd/*")
	installed := map[string]bool{}
	for _, p := range programs {
		installed["/usr/sbin/"+filepath.Base(p)] = true
	}
	var user string
	for _, m := range all {
		var fmris []string
		for _, d := range m.Service.Dependencies {
			for _, f := range d.FMRIs {
				fmris = append(fmris, f.Value)
			}
		}
		for _, d := range m.Service.Dependents {
			fmris = append(fmris, d.FMRI.Value)
		}
		for _, f := range fmris {
			if sm := fmriRe.FindStringSubmatch(f); sm != nil && !services[sm[1]] {
				t.Errorf("%s names %s, which no manifest defines", m.Service.Name, f)
			}
		}
		ms := m.Service.Methods
		for _, in := range m.Service.Instances {
			ms = append(ms, in.Methods...)
		}
		for _, me := range ms {
			prog := execRe.FindString(me.Exec)
			switch {
			case strings.HasPrefix(me.Exec, ":"):
			case strings.HasPrefix(prog, "/lib/svc/method/"):
				if _, err := os.Stat(filepath.Join(methods, filepath.Base(prog))); err != nil {
					t.Errorf("%s %s runs %s, which make does not install", m.Service.Name, me.Name, prog)
				}
			case !installed[prog]:
				t.Errorf("%s %s runs %q, not one of gonut's programs", m.Service.Name, me.Name, me.Exec)
			}
		}
		for _, pg := range m.Service.PGs {
			for _, p := range pg.Props {
				if pg.Name == "nut" && p.Name == "NUTUSER" {
					user = p.Value
				}
			}
		}
	}
	if user != "ups" {
		t.Errorf("nut-server's nut/NUTUSER is %q, not RUN_AS_USER (ups)", user)
	}
	root := t.TempDir()
	if out, err := exec.Command("make", "-s", "-C", "..", "install-systemd", "DESTDIR="+root, "PREFIX=/usr", "RUN_AS_USER=ups").CombinedOutput(); err != nil {
		t.Fatalf("make install-systemd: %v\n%s", err, out)
	}
	unit := filepath.Join(root, "usr/lib/systemd/system/nut-server.service")
	if b, err := os.ReadFile(unit); err != nil || !strings.Contains(string(b), "\nUser=ups\n") {
		t.Errorf("nut-server.service does not run as RUN_AS_USER (ups): %v", err)
	}
	scripts, _ := filepath.Glob(filepath.Join(methods, "*"))
	for _, s := range scripts {
		b, _ := os.ReadFile(s)
		if bad := regexp.MustCompile(`@[A-Z_]+@`).Find(b); bad != nil {
			t.Errorf("%s: %s left unsubstituted", filepath.Base(s), bad)
		}
		if out, err := exec.Command("sh", "-n", s).CombinedOutput(); err != nil {
			t.Errorf("%s: %v %s", filepath.Base(s), err, out)
		}
	}
}

// The programs the SMF services run build for illumos (and so Solaris).
func TestProgramsBuildForIllumos(t *testing.T) {
	if testing.Short() {
		t.Skip("cross-compiles five programs")
	}
	c := exec.Command("go", "build", "../cmd/upsd", "../cmd/upsmon", "../cmd/upsdrvctl", "../cmd/nut-driver-enumerator", "../cmd/upsdrvsvcctl")
	c.Env = append(os.Environ(), "GOOS=illumos", "GOARCH=amd64", "CGO_ENABLED=0")
	if out, err := c.CombinedOutput(); err != nil {
		t.Fatalf("GOOS=illumos go build: %v\n%s", err, out)
	}
}

// The services start in the same order under systemd and SMF: each pair
// here (the first starts after the second) is in the units (After=, or
// the other's Before=, directly or through another) and in the manifests
// (a dependency, or the other's dependent).
func TestSameOrderAsUnits(t *testing.T) {
	type edge struct{ after, before string }
	order := []edge{
		{"nut-server", "nut-driver"},
		{"nut-server", "nut-driver-enumerator"},
		{"nut-driver", "nut-driver-enumerator"},
		{"nut-monitor", "nut-server"},
		{"nut", "nut-server"},
		{"nut", "nut-monitor"},
	}
	// systemd: a unit's name without its suffix; nut-driver@ and
	// nut-driver.target are both "nut-driver", nut.target is "nut".
	unitName := func(u string) string {
		u = strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(u, ".service"), ".target"), ".socket")
		return strings.TrimSuffix(strings.TrimSuffix(u, "@%i"), "@")
	}
	units := map[edge]bool{}
	files, _ := filepath.Glob("../units/nut*")
	for _, f := range files {
		self := unitName(filepath.Base(f))
		b, _ := os.ReadFile(f)
		for _, l := range strings.Split(string(b), "\n") {
			k, v, _ := strings.Cut(l, "=")
			for _, u := range strings.Fields(v) {
				switch k {
				case "After":
					units[edge{self, unitName(u)}] = true
				case "Before":
					units[edge{unitName(u), self}] = true
				}
			}
		}
	}
	smf := map[edge]bool{}
	fmriName := func(f string) string {
		f = strings.TrimPrefix(f, "svc:/system/power/")
		n, _, _ := strings.Cut(f, ":")
		return n
	}
	manifests, _ := filepath.Glob("*.xml")
	for _, f := range manifests {
		b, _ := os.ReadFile(f)
		var m bundle
		if err := xml.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		self := strings.TrimPrefix(m.Service.Name, "system/power/")
		for _, d := range m.Service.Dependencies {
			for _, s := range d.FMRIs {
				smf[edge{self, fmriName(s.Value)}] = true
			}
		}
		for _, d := range m.Service.Dependents {
			smf[edge{fmriName(d.FMRI.Value), self}] = true
		}
	}
	// Orders hold through others (after the target that comes after).
	closure := func(g map[edge]bool) {
		for grew := true; grew; {
			grew = false
			for a := range g {
				for b := range g {
					if a.before == b.after && !g[edge{a.after, b.before}] {
						g[edge{a.after, b.before}], grew = true, true
					}
				}
			}
		}
	}
	closure(units)
	closure(smf)
	for _, e := range order {
		if !units[e] {
			t.Errorf("units: %s does not start after %s", e.after, e.before)
		}
		if !smf[e] {
			t.Errorf("manifests: %s does not start after %s", e.after, e.before)
		}
	}
}
