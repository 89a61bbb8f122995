package enumerator

// A stand-in for SMF's svccfg, svcadm, svcs and svcprop: no illumos
// machine is reachable here. The test binary plays them when it runs
// under one of those names (symlinks in <dir>/bin); it keeps a model of
// the SMF repository in <dir>/repo.json and records every call in
// <dir>/calls.log. What it models, from illumos's manual pages and
// sources: instance and property group names (libuutil's uu_check_name),
// svccfg's command line (its arguments knit into one statement) and
// commands from stdin, its lexer (quoted strings, parenthesised lists)
// and its errors, at the first of which it exits (add of an existing
// instance, addpg of an existing group; delete of a running instance
// without -f, which svccfg's manual describes and its source was not
// checked for), svccfg export's XML,
// enabled for good (general/enabled) or until reboot (-t), the running
// snapshot that svcadm refresh takes (and that svcprop reads), and the
// state svcs shows. Enough for the enumerator, NUT's script and
// upsdrvsvcctl; anything else it is asked fails loudly.

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

func TestMain(m *testing.M) {
	switch name := filepath.Base(os.Args[0]); name {
	case "svccfg", "svcadm", "svcs", "svcprop":
		os.Exit(standin(name, os.Args[1:]))
	}
	os.Exit(m.Run())
}

type smfProp struct {
	Type   string
	Values []string
}

type smfPG struct {
	Type  string
	Props map[string]*smfProp
}

type smfInst struct {
	PGs         map[string]*smfPG // current properties
	Running     map[string]*smfPG // the running snapshot: nil until the first refresh or start
	Enabled     bool              // general/enabled
	Temp        *bool             // general_ovr/enabled (svcadm -t)
	State       string
	Starts      int    // times its start method ran
	StartedWith string // SECTION_CHECKSUM of the snapshot it last started with
	Refreshes   int
}

type smfSvc struct {
	PGs       map[string]*smfPG
	Instances map[string]*smfInst
}

type smfRepo struct {
	Services map[string]*smfSvc // by name: system/power/nut-driver
}

func copyPGs(pgs map[string]*smfPG) map[string]*smfPG {
	b, _ := json.Marshal(pgs)
	out := map[string]*smfPG{}
	json.Unmarshal(b, &out)
	return out
}

// standinDir is where the stand-in keeps its repository: its symlink is
// <dir>/bin/<command>.
func standinDir() string { return filepath.Dir(filepath.Dir(os.Args[0])) }

func standin(name string, args []string) int {
	dir := standinDir()
	lock, err := os.OpenFile(filepath.Join(dir, "lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 99
	}
	defer lock.Close()
	syscall.Flock(int(lock.Fd()), syscall.LOCK_EX)
	var repo smfRepo
	b, err := os.ReadFile(filepath.Join(dir, "repo.json"))
	if err == nil {
		err = json.Unmarshal(b, &repo)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "stand-in:", err)
		return 99
	}
	var stdin string
	if name == "svccfg" && !hasOperands(args) {
		in, _ := io.ReadAll(os.Stdin)
		stdin = string(in)
	}
	logCall(dir, name, args, stdin)
	st := &standinRun{repo: &repo, out: os.Stdout, errw: os.Stderr, name: name}
	switch name {
	case "svccfg":
		st.svccfg(args, stdin)
	case "svcadm":
		st.svcadm(args)
	case "svcs":
		st.svcs(args)
	case "svcprop":
		st.svcprop(args)
	}
	b, _ = json.MarshalIndent(&repo, "", " ")
	os.WriteFile(filepath.Join(dir, "repo.json"), b, 0o644)
	return st.code
}

// hasOperands reports whether svccfg got a subcommand on its command
// line (else it reads commands from stdin).
func hasOperands(args []string) bool {
	for i := 0; i < len(args); i++ {
		if args[i] == "-s" {
			i++
			continue
		}
		return true
	}
	return false
}

func logCall(dir, name string, args []string, stdin string) {
	var b strings.Builder
	b.WriteString(name)
	for _, a := range args {
		b.WriteByte(' ')
		if a == "" || strings.ContainsAny(a, " \t\"'\\") {
			a = strconv.Quote(a)
		}
		b.WriteString(a)
	}
	b.WriteByte('\n')
	for _, l := range strings.Split(strings.TrimSuffix(stdin, "\n"), "\n") {
		if l != "" {
			b.WriteString("  | " + l + "\n")
		}
	}
	f, _ := os.OpenFile(filepath.Join(dir, "calls.log"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	f.WriteString(b.String())
	f.Close()
}

type standinRun struct {
	repo      *smfRepo
	out, errw io.Writer
	name      string
	code      int
	selSvc    string // svccfg's selection
	selInst   string
}

func (st *standinRun) fail(code int, format string, a ...any) {
	fmt.Fprintf(st.errw, st.name+": "+format+"\n", a...)
	st.code = code
}

// smfNameRe is uu_check_name(name, UU_NAME_DOMAIN), written apart from
// the enumerator's own check: [provider,]identifier, each starting with
// a letter, identifiers of letters, digits, '-' and '_', providers also '.'.
var smfNameRe = regexp.MustCompile(`^([A-Za-z][-_.A-Za-z0-9]*,)?[A-Za-z][-_A-Za-z0-9]*$`)

func smfNameOK(s string) bool { return len(s) < 120 && smfNameRe.MatchString(s) }

// resolve finds a service and instance by FMRI or abbreviation:
// svc:/system/power/nut-driver:x, nut-driver:x, nut-driver.
func (st *standinRun) resolve(fmri string) (svc, inst string, ok bool) {
	f := strings.TrimPrefix(fmri, "svc:/")
	svcPart, inst := f, ""
	if i := strings.LastIndexByte(f, ':'); i >= 0 {
		svcPart, inst = f[:i], f[i+1:]
	}
	var found []string
	for name := range st.repo.Services {
		if name == svcPart || (!strings.HasPrefix(fmri, "svc:/") && strings.HasSuffix(name, "/"+svcPart)) {
			found = append(found, name)
		}
	}
	if len(found) != 1 {
		return "", "", false
	}
	if inst != "" {
		if _, ok := st.repo.Services[found[0]].Instances[inst]; !ok {
			return "", "", false
		}
	}
	return found[0], inst, true
}

// globMatch matches as fnmatch(3) without FNM_PATHNAME: '*' also
// matches '/'.
func globMatch(pattern, s string) bool {
	var re strings.Builder
	re.WriteString("^")
	for _, c := range pattern {
		switch c {
		case '*':
			re.WriteString(".*")
		case '?':
			re.WriteString(".")
		default:
			re.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	return regexp.MustCompile(re.String() + "$").MatchString(s)
}

// matchInstances lists the instances an operand names (a pattern, an
// instance, or a service's instances), as svc:/service:instance.
func (st *standinRun) matchInstances(op string) []string {
	var out []string
	if strings.ContainsAny(op, "*?[") {
		for sn, s := range st.repo.Services {
			for in := range s.Instances {
				full := "svc:/" + sn + ":" + in
				if globMatch(op, full) {
					out = append(out, full)
				}
			}
		}
	} else if sn, in, ok := st.resolve(op); ok {
		if in != "" {
			out = append(out, "svc:/"+sn+":"+in)
		} else {
			for in := range st.repo.Services[sn].Instances {
				out = append(out, "svc:/"+sn+":"+in)
			}
		}
	}
	sort.Strings(out)
	return out
}

func (st *standinRun) inst(full string) *smfInst {
	sn, in, _ := st.resolve(full)
	return st.repo.Services[sn].Instances[in]
}

// lex splits a svccfg command line as svccfg's lexer does: words,
// double-quoted strings with backslash escapes, and parentheses.
func lex(line string) ([]string, error) {
	var toks []string
	for i := 0; i < len(line); {
		c := line[i]
		switch {
		case c == ' ' || c == '\t':
			i++
		case c == '(' || c == ')':
			toks = append(toks, string(c))
			i++
		case c == '"':
			var b strings.Builder
			i++
			for ; i < len(line) && line[i] != '"'; i++ {
				if line[i] == '\\' && i+1 < len(line) {
					i++
				}
				b.WriteByte(line[i])
			}
			if i >= len(line) {
				return nil, fmt.Errorf("unterminated string")
			}
			i++
			toks = append(toks, b.String())
		default:
			j := i
			for j < len(line) && !strings.ContainsRune(" \t()\"", rune(line[j])) {
				j++
			}
			toks = append(toks, line[i:j])
			i = j
		}
	}
	return toks, nil
}

func (st *standinRun) svccfg(args []string, stdin string) {
	for len(args) > 0 && args[0] == "-s" && len(args) > 1 {
		st.select_(args[1])
		if st.code != 0 {
			return
		}
		args = args[2:]
	}
	var lines []string
	if len(args) > 0 {
		lines = []string{strings.Join(args, " ")}
	} else {
		lines = strings.Split(stdin, "\n")
	}
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		toks, err := lex(l)
		if err != nil {
			st.fail(1, "%v", err)
			return
		}
		// Not interactive, svccfg exits at the first error (semerr,
		// synerr in svccfg_main.c).
		if st.svccfgCmd(toks); st.code != 0 {
			return
		}
	}
}

func (st *standinRun) select_(fmri string) {
	sn, in, ok := st.resolve(fmri)
	if !ok {
		st.fail(1, "Pattern '%s' doesn't match any instances or services", fmri)
		return
	}
	st.selSvc, st.selInst = sn, in
}

// selPGs are the property groups of the selected entity.
func (st *standinRun) selPGs() map[string]*smfPG {
	s := st.repo.Services[st.selSvc]
	if st.selInst != "" {
		in := s.Instances[st.selInst]
		if in.PGs == nil {
			in.PGs = map[string]*smfPG{}
		}
		return in.PGs
	}
	if s.PGs == nil {
		s.PGs = map[string]*smfPG{}
	}
	return s.PGs
}

func (st *standinRun) svccfgCmd(t []string) {
	needSel := func() bool {
		if st.selSvc == "" {
			st.fail(1, "Not an entity: nothing selected")
			return false
		}
		return true
	}
	switch t[0] {
	case "select":
		if len(t) != 2 {
			st.fail(1, "Syntax error.")
			return
		}
		st.select_(t[1])
	case "add":
		if !needSel() || len(t) != 2 {
			st.fail(1, "Syntax error.")
			return
		}
		if st.selInst != "" {
			st.fail(1, "Cannot add to an instance.")
			return
		}
		if !smfNameOK(t[1]) {
			st.fail(1, "Invalid name.")
			return
		}
		s := st.repo.Services[st.selSvc]
		if _, ok := s.Instances[t[1]]; ok {
			st.fail(1, "Instance \"%s\" already exists.", t[1])
			return
		}
		if s.Instances == nil {
			s.Instances = map[string]*smfInst{}
		}
		s.Instances[t[1]] = &smfInst{PGs: map[string]*smfPG{}, State: "disabled"}
	case "delete":
		force := len(t) > 1 && t[1] == "-f"
		if force {
			t = t[1:]
		}
		if !needSel() || len(t) != 2 {
			st.fail(1, "Syntax error.")
			return
		}
		sn, in := st.selSvc, t[1]
		if strings.HasPrefix(t[1], "svc:/") {
			var ok bool
			if sn, in, ok = st.resolve(t[1]); !ok || in == "" {
				st.fail(1, "Pattern '%s' doesn't match any instances", t[1])
				return
			}
		}
		i, ok := st.repo.Services[sn].Instances[in]
		if !ok {
			st.fail(1, "No such child \"%s\".", in)
			return
		}
		if !force && (i.State == "online" || i.State == "degraded") {
			st.fail(1, "Instance \"svc:/%s:%s\" may not be deleted because it is running.  Use delete -f if necessary.", sn, in)
			return
		}
		delete(st.repo.Services[sn].Instances, in)
	case "addpg":
		if !needSel() || len(t) < 3 || len(t) > 4 {
			st.fail(1, "Syntax error.")
			return
		}
		pgs := st.selPGs()
		if !smfNameOK(t[1]) {
			st.fail(1, "Invalid name.")
			return
		}
		if _, ok := pgs[t[1]]; ok {
			st.fail(1, "Property group already exists.")
			return
		}
		pgs[t[1]] = &smfPG{Type: t[2], Props: map[string]*smfProp{}}
	case "delpg", "delprop":
		if !needSel() || len(t) != 2 {
			st.fail(1, "Syntax error.")
			return
		}
		pgs := st.selPGs()
		pg, prop, hasProp := strings.Cut(t[1], "/")
		g, ok := pgs[pg]
		switch {
		case !ok || (hasProp && g.Props[prop] == nil):
			st.fail(1, "No such property group or property \"%s\".", t[1])
		case hasProp:
			delete(g.Props, prop)
		default:
			delete(pgs, pg)
		}
	case "setprop":
		if !needSel() || len(t) < 4 || t[2] != "=" {
			st.fail(1, "Syntax error.")
			return
		}
		pgName, propName, ok := strings.Cut(t[1], "/")
		g := st.selPGs()[pgName]
		if !ok || g == nil {
			st.fail(1, "No such property group \"%s\".", pgName)
			return
		}
		rest := t[3:]
		typ := ""
		if strings.HasSuffix(rest[0], ":") {
			typ, rest = strings.TrimSuffix(rest[0], ":"), rest[1:]
		}
		var vals []string
		switch {
		case len(rest) >= 2 && rest[0] == "(" && rest[len(rest)-1] == ")":
			vals = rest[1 : len(rest)-1]
		case len(rest) == 1:
			vals = rest
		default:
			st.fail(1, "Syntax error.")
			return
		}
		if typ == "" {
			if p := g.Props[propName]; p != nil {
				typ = p.Type
			} else {
				st.fail(1, "Type required for new properties.")
				return
			}
		}
		g.Props[propName] = &smfProp{Type: typ, Values: vals}
	case "export":
		fmri := ""
		if len(t) == 2 {
			fmri = t[1]
		} else if st.selSvc != "" && st.selInst == "" {
			fmri = "svc:/" + st.selSvc
		}
		sn, in, ok := st.resolve(fmri)
		if !ok || in != "" {
			st.fail(1, "Pattern '%s' doesn't match any services", fmri)
			return
		}
		st.export(sn)
	default:
		st.fail(1, "Unknown command %q (not modelled by the stand-in)", t[0])
	}
}

// exportPGs renders property groups as svccfg export does: dependency
// groups as <dependency>, the others as <property_group>.
func exportPGs(w io.Writer, pgs map[string]*smfPG, indent string) {
	names := make([]string, 0, len(pgs))
	for n := range pgs {
		names = append(names, n)
	}
	sort.Strings(names)
	esc := func(s string) string {
		var b strings.Builder
		xml.EscapeText(&b, []byte(s))
		return strings.ReplaceAll(b.String(), "'", "&apos;")
	}
	for _, n := range names {
		g := pgs[n]
		if g.Type == "dependency" {
			val := func(p string) string {
				if g.Props[p] != nil && len(g.Props[p].Values) > 0 {
					return g.Props[p].Values[0]
				}
				return ""
			}
			fmt.Fprintf(w, "%s<dependency name='%s' grouping='%s' restart_on='%s' type='%s'>\n", indent, esc(n), val("grouping"), val("restart_on"), val("type"))
			if e := g.Props["entities"]; e != nil {
				for _, v := range e.Values {
					fmt.Fprintf(w, "%s  <service_fmri value='%s'/>\n", indent, esc(v))
				}
			}
			fmt.Fprintf(w, "%s</dependency>\n", indent)
		}
	}
	for _, n := range names {
		g := pgs[n]
		if g.Type == "dependency" {
			continue
		}
		fmt.Fprintf(w, "%s<property_group name='%s' type='%s'>\n", indent, esc(n), esc(g.Type))
		props := make([]string, 0, len(g.Props))
		for p := range g.Props {
			props = append(props, p)
		}
		sort.Strings(props)
		for _, p := range props {
			v := g.Props[p]
			if len(v.Values) == 1 {
				fmt.Fprintf(w, "%s  <propval name='%s' type='%s' value='%s'/>\n", indent, esc(p), v.Type, esc(v.Values[0]))
				continue
			}
			fmt.Fprintf(w, "%s  <property name='%s' type='%s'>\n%s    <%s_list>\n", indent, esc(p), v.Type, indent, v.Type)
			for _, x := range v.Values {
				fmt.Fprintf(w, "%s      <value_node value='%s'/>\n", indent, esc(x))
			}
			fmt.Fprintf(w, "%s    </%s_list>\n%s  </property>\n", indent, v.Type, indent)
		}
		fmt.Fprintf(w, "%s</property_group>\n", indent)
	}
}

func (st *standinRun) export(sn string) {
	s := st.repo.Services[sn]
	w := st.out
	fmt.Fprintf(w, "<?xml version='1.0'?>\n<!DOCTYPE service_bundle SYSTEM '/usr/share/lib/xml/dtd/service_bundle.dtd.1'>\n")
	fmt.Fprintf(w, "<service_bundle type='manifest' name='export'>\n  <service name='%s' type='service' version='0'>\n", sn)
	exportPGs(w, s.PGs, "    ")
	names := make([]string, 0, len(s.Instances))
	for n := range s.Instances {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "    <instance name='%s' enabled='%t'>\n", n, s.Instances[n].Enabled)
		exportPGs(w, s.Instances[n].PGs, "      ")
		fmt.Fprintf(w, "    </instance>\n")
	}
	fmt.Fprintf(w, "  </service>\n</service_bundle>\n")
}

// settle sets an instance's state from its enabled properties, running
// its start method when it comes online.
func settle(i *smfInst) {
	on := i.Enabled
	if i.Temp != nil {
		on = *i.Temp
	}
	switch {
	case !on:
		i.State = "disabled"
	case i.State == "maintenance":
	case i.State != "online":
		if i.Running == nil {
			i.Running = copyPGs(i.PGs) // svc.startd takes the first snapshot
		}
		i.State = "online"
		i.Starts++
		i.StartedWith = snapChecksum(i.Running)
	}
}

func snapChecksum(pgs map[string]*smfPG) string {
	if g := pgs[smfChecksumPG]; g != nil && g.Props[smfChecksum] != nil {
		return strings.Join(g.Props[smfChecksum].Values, " ")
	}
	return ""
}

func (st *standinRun) svcadm(args []string) {
	if len(args) == 0 {
		st.fail(2, "usage")
		return
	}
	cmd, args := args[0], args[1:]
	temp := false
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		for _, f := range args[0][1:] {
			switch f {
			case 't':
				temp = true
			case 's', 'r':
			default:
				st.fail(2, "Unknown option -%c (not modelled by the stand-in)", f)
				return
			}
		}
		args = args[1:]
	}
	for _, op := range args {
		fmris := st.matchInstances(op)
		if len(fmris) != 1 {
			st.fail(1, "Pattern '%s' doesn't match any instances", op)
			continue
		}
		i := st.inst(fmris[0])
		switch cmd {
		case "enable", "disable":
			on := cmd == "enable"
			if temp {
				i.Temp = &on
			} else {
				i.Enabled, i.Temp = on, nil
			}
			settle(i)
		case "refresh":
			i.Running = copyPGs(i.PGs)
			i.Refreshes++
		case "restart":
			if i.State == "online" {
				i.Starts++
				i.StartedWith = snapChecksum(i.Running)
			}
		case "clear":
			if i.State == "maintenance" {
				i.State = "offline"
				settle(i)
			}
		default:
			st.fail(2, "Unknown command %q (not modelled by the stand-in)", cmd)
			return
		}
	}
}

func (st *standinRun) svcs(args []string) {
	all, header, cols := false, true, []string{"state", "stime", "fmri"}
	var ops []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") {
			ops = append(ops, a)
			continue
		}
		for j := 1; j < len(a); j++ {
			switch a[j] {
			case 'a':
				all = true
			case 'H':
				header = false
			case 'o':
				v := a[j+1:]
				if v == "" && i+1 < len(args) {
					i++
					v = args[i]
				}
				cols = strings.Split(v, ",")
				j = len(a)
			default:
				st.fail(2, "Unknown option -%c (not modelled by the stand-in)", a[j])
				return
			}
		}
	}
	var fmris []string
	if len(ops) == 0 {
		for _, f := range st.matchInstances("svc:/*") {
			if all || st.inst(f).State != "disabled" {
				fmris = append(fmris, f)
			}
		}
	}
	for _, op := range ops {
		m := st.matchInstances(op)
		if len(m) == 0 {
			st.fail(1, "Pattern '%s' doesn't match any instances", op)
		}
		fmris = append(fmris, m...)
	}
	row := func(vals map[string]string) {
		var f []string
		for _, c := range cols {
			v, ok := vals[c]
			if !ok {
				st.fail(2, "Unknown column %q (not modelled by the stand-in)", c)
				return
			}
			f = append(f, v)
		}
		fmt.Fprintln(st.out, strings.Join(f, " "))
	}
	if header && len(fmris) > 0 {
		row(map[string]string{"state": "STATE", "stime": "STIME", "fmri": "FMRI"})
	}
	for _, f := range fmris {
		row(map[string]string{"state": st.inst(f).State, "stime": "10:00:00", "fmri": f})
	}
}

// svcpropQuote escapes a string value as svcprop prints it.
func svcpropQuote(v string) string {
	var b strings.Builder
	for _, c := range v {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("_./:@,+=%-", c)) {
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func (st *standinRun) svcprop(args []string) {
	var props, ops []string
	for i := 0; i < len(args); i++ {
		switch {
		case args[i] == "-p" && i+1 < len(args):
			props = append(props, args[i+1])
			i++
		case strings.HasPrefix(args[i], "-"):
			st.fail(2, "Unknown option %s (not modelled by the stand-in)", args[i])
			return
		default:
			ops = append(ops, args[i])
		}
	}
	if len(ops) != 1 || len(props) == 0 {
		st.fail(2, "usage (not modelled by the stand-in)")
		return
	}
	lookup := func(pgs []map[string]*smfPG, p string) *smfProp {
		pg, prop, _ := strings.Cut(p, "/")
		for _, m := range pgs {
			if g := m[pg]; g != nil && g.Props[prop] != nil {
				return g.Props[prop]
			}
		}
		return nil
	}
	values := func(v *smfProp) string {
		var q []string
		for _, x := range v.Values {
			q = append(q, svcpropQuote(x))
		}
		return strings.Join(q, " ")
	}
	// One entity, or a pattern's instances (each line then names them).
	if !strings.ContainsAny(ops[0], "*?[") {
		sn, in, ok := st.resolve(ops[0])
		if !ok {
			st.fail(1, "Pattern '%s' doesn't match any entities", ops[0])
			return
		}
		s := st.repo.Services[sn]
		pgs := []map[string]*smfPG{s.PGs}
		if in != "" {
			i := s.Instances[in]
			snap := i.Running
			if snap == nil {
				snap = i.PGs
			}
			pgs = []map[string]*smfPG{snap, s.PGs}
		}
		for _, p := range props {
			v := lookup(pgs, p)
			if v == nil {
				st.fail(1, "Couldn't find property `%s' for `%s'.", p, ops[0])
				continue
			}
			fmt.Fprintln(st.out, values(v))
		}
		return
	}
	found := 0
	for _, f := range st.matchInstances(ops[0]) {
		sn, _, _ := st.resolve(f)
		i := st.inst(f)
		snap := i.Running
		if snap == nil {
			snap = i.PGs
		}
		for _, p := range props {
			if v := lookup([]map[string]*smfPG{snap, st.repo.Services[sn].PGs}, p); v != nil {
				fmt.Fprintf(st.out, "%s/:properties/%s %s %s\n", f, p, v.Type, values(v))
				found++
			}
		}
	}
	if found == 0 {
		st.fail(1, "Pattern '%s' doesn't match any entities", ops[0])
	}
}
