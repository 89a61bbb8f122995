package man_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// root is the module's root, two levels up from docs/man.
const root = "../.."

var (
	buildOnce sync.Once
	binDir    string
	buildErr  error
)

// TestMain removes the programs built for the tests.
func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// programs builds every program of cmd/ once (with the drivers' build
// tags: -h is the same without them) and returns the directory that
// holds them.
func programs(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		if binDir, buildErr = os.MkdirTemp("", "gonut-man"); buildErr != nil {
			return
		}
		cmd := exec.Command("go", "build", "-tags", "netgo,osusergo", "-o", binDir+"/", "./cmd/...")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = &buildError{err, string(out)}
		}
	})
	if buildErr != nil {
		t.Fatalf("building the programs: %v", buildErr)
	}
	return binDir
}

type buildError struct {
	err error
	out string
}

func (e *buildError) Error() string { return e.err.Error() + "\n" + e.out }

// commands are the programs of cmd/, by name.
func commands(t *testing.T) []string {
	t.Helper()
	mains, err := filepath.Glob(filepath.Join(root, "cmd", "*", "main.go"))
	if err != nil || len(mains) == 0 {
		t.Fatalf("no programs in cmd/: %v", err)
	}
	var names []string
	for _, m := range mains {
		names = append(names, filepath.Base(filepath.Dir(m)))
	}
	return names
}

// help runs bin -h as argv0, and returns what it printed and its exit code.
func help(t *testing.T, bin, argv0 string) (stdout, stderr string, code int) {
	t.Helper()
	return answer(t, bin, argv0, "-h")
}

// answer runs bin with one flag, as argv0, and returns what it printed and
// its exit code.
func answer(t *testing.T, bin, argv0, flag string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(bin, flag)
	cmd.Args[0] = argv0
	// Nothing of this machine's NUT setup leaks in (upssched reads
	// UPSNAME, upsdrvctl NUT_QUIET_INIT_BANNER...).
	cmd.Env = []string{"PATH=/usr/bin:/bin", "NUT_CONFPATH=" + t.TempDir(), "NUT_STATEPATH=" + t.TempDir()}
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%s %s: %v", bin, flag, err)
	}
	return out.String(), errb.String(), code
}
