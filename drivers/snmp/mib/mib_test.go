package mib_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"gonut/drivers/snmp/mib"
)

// nutGit is NUT's git repository, whose v2.8.0 tables the z_*.go files
// are: NUT_GIT_DIR, or the project's mirror of it.
func nutGit() string {
	if d := os.Getenv("NUT_GIT_DIR"); d != "" {
		return d
	}
	return "/work/.mirror/networkupstools+nut/repo"
}

// TestGenerated: mibgen, run again on NUT's v2.8.0, writes the committed
// tables byte for byte.
func TestGenerated(t *testing.T) {
	git := nutGit()
	if _, err := os.Stat(git); err != nil {
		t.Skipf("NUT's git repository is not at %s: set NUT_GIT_DIR", git)
	}
	dir := t.TempDir()
	out, err := exec.Command("go", "run", "./mibgen", "-git", git, "-tag", "v2.8.0", "-out", dir).CombinedOutput()
	if err != nil {
		t.Fatalf("mibgen: %v\n%s", err, out)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	committed, _ := filepath.Glob("z_*.go")
	if len(files) != len(committed) || len(files) == 0 {
		t.Fatalf("mibgen writes %d files, %d are committed", len(files), len(committed))
	}
	for _, f := range files {
		want, _ := os.ReadFile(f)
		got, err := os.ReadFile(filepath.Base(f))
		if err != nil || string(got) != string(want) {
			t.Errorf("%s differs from mibgen's: go generate ./drivers/snmp/mib", filepath.Base(f))
		}
	}
}

// TestTables: NUT 2.8.0's facts as the tables hold them.
func TestTables(t *testing.T) {
	if len(mib.All) != 30 {
		t.Errorf("%d mappings, NUT 2.8.0 has 30", len(mib.All))
	}
	if first, last := mib.All[0].Name, mib.All[len(mib.All)-1].Name; first != "apc_ats" || last != "ietf" {
		t.Errorf("probing order from %s to %s, want apc_ats to ietf", first, last)
	}
	ietf := mib.ByName("ietf")[0]
	r := ietf.Find("battery.runtime")
	if r == nil || r.OID != "1.3.6.1.2.1.33.1.2.3.0" || r.Len != 60 {
		t.Errorf("ietf battery.runtime: %+v", r)
	}
	if ietf.Find("debug.upsIdentName") != nil {
		t.Error("rows under #ifdef DEBUG were kept")
	}
	for _, m := range mib.All {
		for _, r := range m.Rows {
			if r.Var == "" || r.Len < 0 && r.Info != 0 {
				t.Errorf("%s: row %+v", m.Name, r)
			}
		}
	}
}
