package enumerator

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"gonut/config"
	"gonut/internal/cli"
	"gonut/internal/nuttest"
	"gonut/nutenv"
)

// smfStandin is a directory with the stand-in's commands and repository.
type smfStandin struct{ dir, bin string }

func newStandin(t *testing.T) *smfStandin {
	t.Helper()
	s := &smfStandin{dir: t.TempDir()}
	s.bin = filepath.Join(s.dir, "bin")
	os.Mkdir(s.bin, 0o755)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{"svccfg", "svcadm", "svcs", "svcprop"} {
		if err := os.Symlink(self, filepath.Join(s.bin, c)); err != nil {
			t.Fatal(err)
		}
	}
	repo := smfRepo{Services: map[string]*smfSvc{
		"system/power/nut-driver": {},
		"system/power/nut-server": {Instances: map[string]*smfInst{"default": {Enabled: true, State: "online"}}},
	}}
	b, _ := json.Marshal(repo)
	os.WriteFile(filepath.Join(s.dir, "repo.json"), b, 0o644)
	return s
}

func (s *smfStandin) repo(t *testing.T) smfRepo {
	t.Helper()
	var r smfRepo
	b, _ := os.ReadFile(filepath.Join(s.dir, "repo.json"))
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

func (s *smfStandin) drivers(t *testing.T) map[string]*smfInst {
	return s.repo(t).Services["system/power/nut-driver"].Instances
}

// calls returns the calls recorded since the last time, and forgets them.
func (s *smfStandin) calls(t *testing.T) string {
	t.Helper()
	p := filepath.Join(s.dir, "calls.log")
	b, _ := os.ReadFile(p)
	os.Remove(p)
	return string(b)
}

// admin runs a stand-in command as an administrator would.
func (s *smfStandin) admin(t *testing.T, cmd string, args ...string) {
	t.Helper()
	if out, err := exec.Command(filepath.Join(s.bin, cmd), args...).CombinedOutput(); err != nil {
		t.Fatalf("%s %v: %v %s", cmd, args, err, out)
	}
	s.calls(t)
}

func smfPlan(t *testing.T, text string) []Instance {
	t.Helper()
	conf, errs := config.ParseUPSConf("ups.conf", strings.NewReader(text))
	if err := config.Fatal(errs); err != nil {
		t.Fatal(err)
	}
	return PlanFor(conf, SMFNaming())
}

func prop(pgs map[string]*smfPG, pg, p string) string {
	if g := pgs[pg]; g != nil && g.Props[p] != nil {
		return strings.Join(g.Props[p].Values, " ")
	}
	return ""
}

// sortRuns sorts each run of consecutive lines that start with prefix:
// what Reconcile does at once comes in any order.
func sortRuns(log, prefix string) string {
	lines := strings.Split(log, "\n")
	for i := 0; i < len(lines); {
		j := i
		for j < len(lines) && strings.HasPrefix(lines[j], prefix) {
			j++
		}
		sort.Strings(lines[i:j])
		if j == i {
			j++
		}
		i = j
	}
	return strings.Join(lines, "\n")
}

// The names SMF takes as they are, checked against the stand-in's own
// rendering of illumos's uu_check_name.
func TestValidSMFInstanceName(t *testing.T) {
	for _, tc := range []struct {
		name string
		ok   bool
	}{
		{"myups", true}, {"my_ups-3", true}, {"UPS2", true}, {"acme,ups1", true}, {"com.acme,ups", true},
		{"ups.2", false}, {"1ups", false}, {"ups+1", false}, {"a,b,c", false}, {",x", false}, {"x,", false},
		{"", false}, {"-ups", false}, {"ups:1", false}, {"ups@host", false}, {"ups name", false},
		{strings.Repeat("u", 119), true}, {strings.Repeat("u", 120), false},
	} {
		if got := ValidSMFInstanceName(tc.name); got != tc.ok || smfNameOK(tc.name) != tc.ok {
			t.Errorf("%q: ours %v, stand-in %v, want %v", tc.name, got, smfNameOK(tc.name), tc.ok)
		}
	}
	if got := SMFNaming().instance("ups.2"); got != MD5Name("ups.2") {
		t.Errorf("ups.2 gets %s", got)
	}
}

const smfConf = `[myups]
	driver = usbhid-ups
	port = auto
[ups.2]
	driver = dummy-ups
	port = ups2.dev
[rep]
	driver = dummy-ups
	port = myups@localhost
[serial1]
	driver = apcsmart
	port = /dev/term/a
`

// defineScript is the svccfg session that defines an instance.
func defineScript(name, section, sum string, existed, hadDeps bool, deps ...string) string {
	var b strings.Builder
	b.WriteString("svccfg\n  | select svc:/system/power/nut-driver\n")
	if !existed {
		fmt.Fprintf(&b, "  | add %s\n", name)
	}
	fmt.Fprintf(&b, "  | select svc:/system/power/nut-driver:%s\n", name)
	if hadDeps {
		b.WriteString("  | delpg nut-driver-enumerator-generated\n")
	}
	if existed {
		b.WriteString("  | delpg nut-driver-enumerator-generated-checksum\n  | delpg nut-driver-enumerator-generated-devicename\n")
	}
	if len(deps) > 0 {
		b.WriteString("  | addpg nut-driver-enumerator-generated dependency\n" +
			"  | setprop nut-driver-enumerator-generated/grouping = astring: optional_all\n" +
			"  | setprop nut-driver-enumerator-generated/restart_on = astring: refresh\n" +
			"  | setprop nut-driver-enumerator-generated/type = astring: service\n")
		fmt.Fprintf(&b, "  | setprop nut-driver-enumerator-generated/entities = fmri: ( %s )\n", strings.Join(deps, " "))
	}
	fmt.Fprintf(&b, "  | addpg nut-driver-enumerator-generated-checksum application\n"+
		"  | setprop nut-driver-enumerator-generated-checksum/SECTION_CHECKSUM = astring: \"%s\"\n"+
		"  | addpg nut-driver-enumerator-generated-devicename application\n"+
		"  | setprop nut-driver-enumerator-generated-devicename/DEVICE = astring: \"%s\"\n", sum, section)
	return b.String()
}

// The SMF backend against the stand-in: the exact commands and the
// instances they leave, for new sections (one SMF rejects by name, one
// that relays another), no change, a changed and a removed section, and
// instances the admin disabled for good or until reboot.
func TestSMFReconcile(t *testing.T) {
	ctx := context.Background()
	s := newStandin(t)
	b := NewSMF(s.bin)
	plan := smfPlan(t, smfConf)
	md5 := MD5Name("ups.2")
	sums := map[string]string{}
	for _, in := range plan {
		sums[in.Section] = in.Checksum
	}
	usb := []string{"svc:/system/hotplug:default", "svc:/system/dbus:default", "svc:/system/hal:default", "svc:/milestone/devices:default"}

	ch, err := Reconcile(ctx, b, plan, nil, true, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := "svccfg export svc:/system/power/nut-driver\n" +
		defineScript("myups", "myups", sums["myups"], false, false, usb...) +
		defineScript(md5, "ups.2", sums["ups.2"], false, false) +
		defineScript("rep", "rep", sums["rep"], false, false, "svc:/network/loopback:default", "svc:/system/power/nut-driver:myups") +
		defineScript("serial1", "serial1", sums["serial1"], false, false) +
		"svcadm refresh svc:/system/power/nut-driver:" + md5 + " svc:/system/power/nut-driver:myups svc:/system/power/nut-driver:rep svc:/system/power/nut-driver:serial1\n" +
		"svcadm enable svc:/system/power/nut-driver:" + md5 + "\n" +
		"svcadm enable svc:/system/power/nut-driver:myups\n" +
		"svcadm enable svc:/system/power/nut-driver:rep\n" +
		"svcadm enable svc:/system/power/nut-driver:serial1\n" +
		"svcs -H -o state svc:/system/power/nut-server:default\n" +
		"svcadm refresh svc:/system/power/nut-server:default\n"
	if got := sortRuns(s.calls(t), "svcadm enable "); got != want {
		t.Fatalf("adding: calls\n%s\nwant\n%s", got, want)
	}
	if len(ch.Added) != 4 {
		t.Errorf("added %q", ch.Added)
	}
	insts := s.drivers(t)
	for _, in := range plan {
		i := insts[in.Name]
		if i == nil {
			t.Fatalf("no instance %s for [%s]", in.Name, in.Section)
		}
		if i.State != "online" || !i.Enabled || i.Temp != nil || i.Starts != 1 || i.StartedWith != in.Checksum {
			t.Errorf("%s: %+v", in.Name, i)
		}
		if prop(i.Running, smfDevicePG, smfDevice) != in.Section || prop(i.Running, smfChecksumPG, smfChecksum) != in.Checksum {
			t.Errorf("%s runs with a snapshot of %v", in.Name, i.Running)
		}
	}
	if got := prop(insts["rep"].Running, smfDepsPG, "entities"); got != "svc:/network/loopback:default svc:/system/power/nut-driver:myups" {
		t.Errorf("rep depends on %q", got)
	}
	if len(insts) != 4 {
		t.Errorf("%d instances", len(insts))
	}
	if r := s.repo(t).Services["system/power/nut-server"].Instances["default"].Refreshes; r != 1 {
		t.Errorf("nut-server refreshed %d times", r)
	}

	// Nothing changed: one export, nothing done.
	if ch, err := Reconcile(ctx, b, smfPlan(t, smfConf), nil, true, io.Discard); err != nil || ch.Any() {
		t.Fatalf("no change: %+v %v", ch, err)
	}
	if got := s.calls(t); got != "svccfg export svc:/system/power/nut-driver\n" {
		t.Fatalf("no change, yet:\n%s", got)
	}

	// myups changes and cannot reload: redefined, refreshed, then
	// restarted with its new snapshot. serial1 goes.
	edited := strings.Replace(smfConf, "\tport = auto\n", "\tport = auto\n\tdesc = \"UPS in the rack\"\n", 1)
	edited = edited[:strings.Index(edited, "[serial1]")]
	plan2 := smfPlan(t, edited)
	cannot := func(context.Context, Instance) error { return errors.New("cannot reload") }
	ch, err = Reconcile(ctx, b, plan2, cannot, true, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want = "svccfg export svc:/system/power/nut-driver\n" +
		defineScript("myups", "myups", plan2[0].Checksum, true, true, usb...) +
		"svcadm disable -ts svc:/system/power/nut-driver:serial1\n" +
		"svccfg -s svc:/system/power/nut-driver delete serial1\n" +
		"svcs -H -o state svc:/system/power/nut-driver:myups\n" +
		"svcs -H -o state svc:/system/power/nut-server:default\n" +
		"svcadm refresh svc:/system/power/nut-server:default\n" +
		"svcadm refresh svc:/system/power/nut-driver:myups\n" +
		"svcadm restart svc:/system/power/nut-driver:myups\n"
	if got := s.calls(t); got != want {
		t.Fatalf("changing: calls\n%s\nwant\n%s", got, want)
	}
	if strings.Join(ch.Restarted, ",") != "myups" || strings.Join(ch.Removed, ",") != "serial1" {
		t.Errorf("changing: %+v", ch)
	}
	insts = s.drivers(t)
	if i := insts["myups"]; i.Starts != 2 || i.StartedWith != plan2[0].Checksum {
		t.Errorf("myups restarted %d times, last with %s, not with its new checksum %s", i.Starts-1, i.StartedWith, plan2[0].Checksum)
	}
	if _, ok := insts["serial1"]; ok || len(insts) != 3 {
		t.Errorf("instances after removing serial1: %v", insts)
	}

	// The admin disables rep for good and ups.2 until reboot (upsdrvsvcctl
	// stop); both sections change. rep is left alone; ups.2 takes its new
	// settings and stays stopped.
	s.admin(t, "svcadm", "disable", "svc:/system/power/nut-driver:rep")
	s.admin(t, "svcadm", "disable", "-t", "svc:/system/power/nut-driver:"+md5)
	edited = strings.Replace(edited, "ups2.dev", "ups2b.dev", 1)
	edited = strings.Replace(edited, "myups@localhost", "myups@127.0.0.1", 1)
	plan3 := smfPlan(t, edited)
	ch, err = Reconcile(ctx, b, plan3, cannot, true, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want = "svccfg export svc:/system/power/nut-driver\n" +
		defineScript(md5, "ups.2", plan3[1].Checksum, true, false) +
		"svcs -H -o state svc:/system/power/nut-driver:" + md5 + "\n" +
		"svcadm refresh svc:/system/power/nut-driver:" + md5 + "\n"
	if got := s.calls(t); got != want {
		t.Fatalf("disabled instances: calls\n%s\nwant\n%s", got, want)
	}
	if strings.Join(ch.Skipped, ",") != "rep" || ch.Any() {
		t.Errorf("disabled instances: %+v", ch)
	}
	insts = s.drivers(t)
	if i := insts["rep"]; i.State != "disabled" || i.Enabled || prop(i.PGs, smfChecksumPG, smfChecksum) != sums["rep"] {
		t.Errorf("rep, disabled for good, was touched: %+v", i)
	}
	if i := insts[md5]; i.State != "disabled" || !i.Enabled || prop(i.Running, smfChecksumPG, smfChecksum) != plan3[1].Checksum {
		t.Errorf("ups.2, stopped until reboot: %+v", i)
	}
}

// The stand-in's export is what SMF's DTD describes.
func TestSMFStandinExportValid(t *testing.T) {
	if _, err := exec.LookPath("xmllint"); err != nil {
		t.Skip("xmllint not found (apt-get install libxml2-utils, or run make check)")
	}
	s := newStandin(t)
	if _, err := Reconcile(context.Background(), NewSMF(s.bin), smfPlan(t, smfConf), nil, true, io.Discard); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(filepath.Join(s.bin, "svccfg"), "export", SMFService).Output()
	if err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(t.TempDir(), "export.xml")
	os.WriteFile(f, out, 0o644)
	dtd, _ := filepath.Abs("../smf/service_bundle.dtd.1")
	if out, err := exec.Command("xmllint", "--noout", "--nonet", "--dtdvalid", dtd, f).CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
}

// nutScript is NUT's nut-driver-enumerator.sh, talking to the stand-in:
// master's from $NUT_SOURCE_DIR, else Debian's (2.8.0).
func nutScript(t *testing.T, s *smfStandin) (script, which string) {
	t.Helper()
	var text string
	if dir := os.Getenv("NUT_SOURCE_DIR"); dir != "" {
		b, err := os.ReadFile(filepath.Join(dir, "scripts/upsdrvsvcctl/nut-driver-enumerator.sh.in"))
		if err != nil {
			t.Fatal(err)
		}
		text, which = strings.NewReplacer("@SED@", "sed", "@GREP@", "grep", "@EGREP@", "grep -E", "@TAIL@", "tail",
			"@TAIL_ARGS_FROM_NTH_LINE@", "-n", "@CONFPATH@", "/etc/nut", "@DRVPATH@", filepath.Join(s.dir, "nodrivers"),
			"@prefix@", "/usr", "@NUT_MANDIR@", "/usr/share/man", "@MAN_SECTION_CMD_SYS@", "8",
			"@NUT_WEBSITE_BASE@", "https://www.networkupstools.org").Replace(string(b)), "NUT master's"
	} else if b, err := os.ReadFile("/usr/libexec/nut-driver-enumerator.sh"); err == nil {
		text, which = string(b), "Debian's"
	} else {
		t.Skip("no nut-driver-enumerator.sh: set NUT_SOURCE_DIR to a NUT source tree, or apt-get install nut-server")
	}
	for _, c := range []string{"/usr/sbin/svccfg", "/usr/sbin/svcadm", "/usr/bin/svcs", "/usr/bin/svcprop"} {
		text = strings.ReplaceAll(text, c, filepath.Join(s.bin, filepath.Base(c)))
	}
	script = filepath.Join(s.dir, "nut-driver-enumerator.sh")
	os.WriteFile(script, []byte(text), 0o755)
	return script, which
}

// runNUT runs NUT's script on a ups.conf against the stand-in.
func runNUT(t *testing.T, script, conf string) string {
	t.Helper()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "ups.conf"), []byte(conf), 0o644)
	c := exec.Command("bash", script)
	c.Env = []string{"NUT_CONFPATH=" + dir, "SERVICE_FRAMEWORK=smf", "REPORT_RESTART_42=no", "PATH=" + os.Getenv("PATH")}
	out, err := c.CombinedOutput()
	if err != nil {
		t.Fatalf("NUT's script: %v\n%s", err, out)
	}
	return string(out)
}

// smfView is what an instance holds that both enumerators set.
type smfView struct {
	Device, Deps, Grouping, State string
	Enabled                       bool
}

func smfViews(insts map[string]*smfInst) map[string]smfView {
	out := map[string]smfView{}
	for n, i := range insts {
		out[n] = smfView{Device: prop(i.PGs, smfDevicePG, smfDevice), Deps: prop(i.PGs, smfDepsPG, "entities"),
			Grouping: prop(i.PGs, smfDepsPG, "grouping"), State: i.State, Enabled: i.Enabled}
	}
	return out
}

// NUT's script and ours, each against a fresh stand-in with the same
// ups.conf, leave the same instances: names (odd ones hashed alike),
// sections, dependencies, all enabled and online. Where they differ is on
// purpose: a relaying driver depends on the driver it relays in ours only
// (NUT's script means to, but its lookup never matches), and the
// checksums are each enumerator's own. Ours then takes over the
// instances NUT's script made.
func TestSMFSameInstancesAsNUTScript(t *testing.T) {
	ctx := context.Background()
	conf := smfConf + "[1ups]\n\tdriver = snmp-ups\n\tport = 10.0.0.9\n[acme,ups1]\n\tdriver = blazer_usb\n\tport = auto\n"
	nut := newStandin(t)
	script, which := nutScript(t, nut)
	t0 := time.Now()
	nutOut := runNUT(t, script, conf)
	nutTime := time.Since(t0)
	nutLog := nut.calls(t)
	nutCalls := strings.Count(nutLog, "\n") - strings.Count(nutLog, "\n  |")
	ours := newStandin(t)
	t0 = time.Now()
	if _, err := Reconcile(ctx, NewSMF(ours.bin), smfPlan(t, conf), nil, true, io.Discard); err != nil {
		t.Fatal(err)
	}
	ourTime := time.Since(t0)
	log := ours.calls(t)
	ourCalls := strings.Count(log, "\n") - strings.Count(log, "\n  |")
	t.Logf("%s script: %d commands in %v; ours: %d in %v (on the stand-in)", which, nutCalls, nutTime.Round(time.Millisecond), ourCalls, ourTime.Round(time.Millisecond))

	got, want := smfViews(ours.drivers(t)), smfViews(nut.drivers(t))
	// The relay's dependency on the driver it relays: NUT's script looks
	// the driver up with grep -E '^myups\t', which never matches (ERE has
	// no \t), and would name its hashed instance if it did. Ours has it.
	const relayed = " svc:/system/power/nut-driver:myups"
	if g := got["rep"]; strings.HasSuffix(g.Deps, relayed) && !strings.Contains(want["rep"].Deps, "nut-driver") {
		g.Deps = strings.TrimSuffix(g.Deps, relayed)
		got["rep"] = g
	} else {
		t.Errorf("rep depends on %q in ours, %q in NUT's\n%s", g.Deps, want["rep"].Deps, nutOut)
	}
	for n, w := range want {
		if w.Device == "" && which == "Debian's" {
			w.Device = got[n].Device // 2.8.0 does not record the section (2.8.2 does)
		}
		if g, ok := got[n]; !ok || g != w {
			t.Errorf("instance %s:\n  NUT's: %+v\n  ours:  %+v", n, w, g)
		}
	}
	for n := range got {
		if _, ok := want[n]; !ok {
			t.Errorf("instance %s is ours only", n)
		}
	}

	// Ours on NUT's instances: every checksum differs from ours, so each
	// is redefined (its groups replaced) and restarted.
	plan := smfPlan(t, conf)
	ch, err := Reconcile(ctx, NewSMF(nut.bin), plan, nil, true, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if len(ch.Restarted) != len(plan) || len(ch.Added)+len(ch.Removed) != 0 {
		t.Errorf("taking over NUT's instances: %+v", ch)
	}
	for _, in := range plan {
		i := nut.drivers(t)[in.Name]
		if prop(i.Running, smfChecksumPG, smfChecksum) != in.Checksum || i.StartedWith != in.Checksum {
			t.Errorf("%s after taking over: %+v", in.Name, i)
		}
	}
}

// What NUT's script does when sections change, which ours does not
// (TestSMFReconcile): Debian's (2.8.0) deletes and re-adds the instance,
// enabled again even when the admin had disabled it for good; master's
// takes every changed section as reloaded, even when its driver could
// not reload it (the "|| { ...; } &&" of its reload call always
// succeeds), so a running driver is not restarted and keeps the
// dependencies of its old settings.
func TestSMFNUTScriptOnChange(t *testing.T) {
	s := newStandin(t)
	script, which := nutScript(t, s)
	conf := "[rep]\n\tdriver = dummy-ups\n\tport = myups@localhost\n[apc]\n\tdriver = apcupsd-ups\n\tport = localhost:3551\n"
	runNUT(t, script, conf)
	s.admin(t, "svcadm", "disable", "svc:/system/power/nut-driver:rep")
	out := runNUT(t, script, strings.ReplaceAll(conf, "localhost", "otherhost"))
	rep, apc := s.drivers(t)["rep"], s.drivers(t)["apc"]
	if which == "Debian's" {
		if rep == nil || !rep.Enabled || rep.State != "online" {
			t.Fatalf("%s script left rep %+v\n%s", which, rep, out)
		}
		return
	}
	if rep.Enabled || apc.Starts != 1 || prop(apc.PGs, smfDepsPG, "entities") != "svc:/network/loopback:default" {
		t.Fatalf("%s script: rep %+v, apc %+v\n%s", which, rep, apc, out)
	}
}

// The commands on an SMF system: --get-service-framework answers smf
// where SMF's commands are; the enumerator and upsdrvsvcctl drive them.
func TestSMFCommands(t *testing.T) {
	s := newStandin(t)
	confDir := t.TempDir()
	os.WriteFile(filepath.Join(confDir, "ups.conf"), []byte(smfConf), 0o644)
	env := map[string]string{"NUT_CONFPATH": confDir, "GONUT_SMF_BINDIR": s.bin}
	run := func(main func([]string, nutenv.Env, cli.Stdio) int, args ...string) (string, int) {
		var out, errb strings.Builder
		code := main(args, func(k string) string { return env[k] }, cli.Stdio{In: strings.NewReader(""), Out: &out, Err: &errb})
		return out.String() + errb.String(), code
	}
	md5 := MD5Name("ups.2")

	if out, _ := run(Main, "nut-driver-enumerator", "--get-service-framework"); out != "smf\n" {
		t.Errorf("--get-service-framework with SMF's commands: %q", out)
	}
	env["GONUT_SMF_BINDIR"] = t.TempDir()
	if out, _ := run(Main, "nut-driver-enumerator", "--get-service-framework"); out != "systemd\n" {
		t.Errorf("--get-service-framework without SMF's commands: %q", out)
	}
	env["GONUT_SMF_BINDIR"] = s.bin

	if out, code := run(Main, "nut-driver-enumerator"); code != 0 || len(s.drivers(t)) != 4 {
		t.Fatalf("update: %d %s", code, out)
	}
	s.calls(t)
	out, _ := run(Main, "nut-driver-enumerator", "--list-services")
	if want := "svc:/system/power/nut-driver:" + md5 + "\nsvc:/system/power/nut-driver:myups\nsvc:/system/power/nut-driver:rep\nsvc:/system/power/nut-driver:serial1\n"; out != want {
		t.Errorf("--list-services: %q", out)
	}
	for arg, want := range map[string]string{"svc:/system/power/nut-driver:" + md5: "ups.2\n", "nut-driver:rep": "rep\n", "myups": "myups\n"} {
		if out, _ := run(Main, "nut-driver-enumerator", "--get-device-for-service", arg); out != want {
			t.Errorf("--get-device-for-service %s: %q", arg, out)
		}
	}
	if out, _ := run(Main, "nut-driver-enumerator", "--get-service-for-device", "ups.2"); out != "svc:/system/power/nut-driver:"+md5+"\n" {
		t.Errorf("--get-service-for-device ups.2: %q", out)
	}
	s.calls(t)

	if out, code := run(SvcctlMain, "upsdrvsvcctl", "stop", "ups.2"); code != 0 || s.drivers(t)[md5].State != "disabled" || !s.drivers(t)[md5].Enabled {
		t.Fatalf("upsdrvsvcctl stop: %d %s %+v", code, out, s.drivers(t)[md5])
	}
	if out, _ := run(SvcctlMain, "upsdrvsvcctl", "status", "ups.2"); out != "ups.2\tsvc:/system/power/nut-driver:"+md5+"\tdisabled\n" {
		t.Errorf("upsdrvsvcctl status: %q", out)
	}
	if out, code := run(SvcctlMain, "upsdrvsvcctl", "start", "ups.2"); code != 0 || s.drivers(t)[md5].State != "online" {
		t.Fatalf("upsdrvsvcctl start: %d %s", code, out)
	}
	want := "svcadm disable -ts svc:/system/power/nut-driver:" + md5 + "\n" +
		"svcs -H -o state svc:/system/power/nut-driver:" + md5 + "\n" +
		"svcadm enable -ts svc:/system/power/nut-driver:" + md5 + "\n"
	if got := s.calls(t); got != want {
		t.Errorf("upsdrvsvcctl: calls\n%s\nwant\n%s", got, want)
	}
}

// nut-driver-enumerator:daemon's refresh method is SIGHUP: the daemon
// reconciles again (it used to die of it).
func TestSMFDaemonRefresh(t *testing.T) {
	s := newStandin(t)
	bin := nuttest.Build(t, "gonut/cmd/nut-driver-enumerator")
	confDir := t.TempDir()
	os.WriteFile(filepath.Join(confDir, "ups.conf"), []byte(smfConf), 0o644)
	cmd := exec.Command(bin, "--daemon=3600")
	cmd.Env = []string{"NUT_CONFPATH=" + confDir, "GONUT_SMF_BINDIR=" + s.bin, "PATH=" + os.Getenv("PATH")}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	log := filepath.Join(s.dir, "calls.log")
	seen := func(what string) func() (bool, string) {
		return func() (bool, string) {
			b, _ := os.ReadFile(log)
			return strings.Contains(string(b), what), string(b)
		}
	}
	nuttest.Eventually(t, "the first reconcile", seen("svcadm refresh "+SMFServer))
	s.calls(t)
	cmd.Process.Signal(syscall.SIGHUP)
	nuttest.Eventually(t, "a reconcile after SIGHUP", seen("svccfg export "+SMFService))
	if cmd.ProcessState != nil {
		t.Fatal("the daemon exited")
	}
}

// svccfg export's XML, whatever it holds, gives instances or an error.
func FuzzParseSMFExport(f *testing.F) {
	f.Add([]byte("<?xml version='1.0'?>\n<!DOCTYPE service_bundle SYSTEM '/usr/share/lib/xml/dtd/service_bundle.dtd.1'>\n" +
		"<service_bundle type='manifest' name='export'><service name='system/power/nut-driver' type='service' version='0'>" +
		"<instance name='myups' enabled='true'><dependency name='nut-driver-enumerator-generated' grouping='optional_all' restart_on='refresh' type='service'>" +
		"<service_fmri value='svc:/system/hotplug:default'/></dependency><property_group name='nut-driver-enumerator-generated-checksum' type='application'>" +
		"<propval name='SECTION_CHECKSUM' type='astring' value='abc'/></property_group></instance>" +
		"<instance name='MD5_x' enabled='false'><property_group name='nut-driver-enumerator-generated-devicename' type='application'>" +
		"<propval name='DEVICE' type='astring' value='ups.2'/></property_group></instance></service></service_bundle>"))
	f.Add([]byte("<service_bundle/>"))
	f.Fuzz(func(t *testing.T, b []byte) {
		list, pgs, disabled, err := parseSMFExport(b)
		if err != nil {
			return
		}
		for i, e := range list {
			if _, ok := pgs[e.Name]; !ok {
				t.Fatalf("%s has no property groups entry", e.Name)
			}
			if _, ok := disabled[e.Name]; !ok {
				t.Fatalf("%s has no enabled entry", e.Name)
			}
			if i > 0 && list[i-1].Name > e.Name {
				t.Fatalf("not sorted: %+v", list)
			}
		}
	})
}
