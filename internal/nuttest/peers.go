package nuttest

import (
	"os/exec"
	"strings"
	"testing"
)

// Result is what a run of a client program showed.
type Result struct {
	Out, Err string
	Code     int
}

// Exec runs a program with stdin and returns what it printed and its exit
// code. Debian's clients print "Init SSL without certificate database" on
// every start (their NSS build); that line is dropped so outputs compare.
func Exec(stdin, bin string, args ...string) Result {
	cmd := exec.Command(bin, args...)
	var out, errb strings.Builder
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		code = -1
	}
	e := strings.ReplaceAll(errb.String(), "Init SSL without certificate database\n", "")
	return Result{out.String(), e, code}
}

// TwoServers runs our dummy-ups for each of upses (sections of upsConf)
// and two upsd in front of them: Debian's (the first stack) and ours (the
// second), sharing the drivers. It returns once both serve the first UPS.
func TwoServers(t testing.TB, upsConf string, files map[string]string, upses ...string) (debian, ours *Stack) {
	t.Helper()
	return TwoServersWith(t, []string{"-F"}, upsConf, files, upses...)
}

// TwoServersWith is TwoServers with both upsd run with flags (such as -D)
// besides "-u root".
func TwoServersWith(t testing.TB, flags []string, upsConf string, files map[string]string, upses ...string) (debian, ours *Stack) {
	t.Helper()
	NeedDebianNUT(t)
	driver := Build(t, "gonut/cmd/dummy-ups")
	upsd := Build(t, "gonut/cmd/upsd")
	debian = NewStack(t, upsConf, files)
	for _, u := range upses {
		debian.Start(driver, "-a", u, "-u", "root", "-F")
	}
	for _, u := range upses {
		debian.WaitSocket("dummy-ups", u)
	}
	debian.StartUpsd(flags...)
	ours = NewStack(t, upsConf, nil)
	ours.Env = append(ours.Env, "NUT_STATEPATH="+debian.Dir)
	ours.Upsd = ours.Start(upsd, append([]string{"-u", "root"}, flags...)...)
	for _, s := range []*Stack{debian, ours} {
		Eventually(t, "upsd serves "+upses[0], func() (bool, string) {
			r := Exec("", "upsc", s.Addr(upses[0]), "ups.status")
			return r.Code == 0 && r.Out != "", r.Out + r.Err
		})
	}
	return debian, ours
}
