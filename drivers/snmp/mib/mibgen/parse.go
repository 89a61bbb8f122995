package main

import (
	"bytes"
	"fmt"
	"go/format"
	"strconv"
	"strings"
)

type lookup struct {
	cname, goName string
	entries       []lookupEntry
	fn            string // Go name of a mib.Func, or ""
}

type lookupEntry struct {
	value int64
	text  string
}

type row struct {
	varName    string
	info       []string // state flags
	length     float64
	oid        string
	hasOID     bool
	dfl        string
	hasDefault bool
	flags      []string // mib flags
	lookup     string   // Go var of the lookup, or ""
	line       int
}

type alarm struct{ oid, status, alarm string }

type table struct {
	cname, goName string
	rows          []row
	alarms        []alarm
	isAlarms      bool
}

type mapping struct {
	cname, goName                               string
	name, version, pwrStatus, autoCheck, sysOID string
	rows, alarms                                string // Go vars
}

type goFile struct {
	file     string
	prefix   string
	lookups  []*lookup
	tables   []*table
	mappings []*mapping
	byC      map[string]string // C name -> Go name (lookups, tables)
}

// camel turns a C name into a Go one: apc_battery_info -> ApcBatteryInfo.
func camel(s string) string {
	var b strings.Builder
	up := true
	for _, c := range s {
		if c == '_' || c == '-' {
			up = true
			continue
		}
		if up && 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		up = false
		b.WriteRune(c)
	}
	return b.String()
}

// funcs are NUT's lookup functions, by C name.
var funcs = map[string]string{
	"su_usdate_to_isodate_info_fun":     "FuncUSDateToISO",
	"eaton_sensor_temperature_unit_fun": "FuncTemperatureUnit",
	"su_temperature_read_fun":           "FuncTemperatureRead",
	"marlin_device_count_fun":           "FuncDeviceCount",
}

func parseFile(file string, toks []token) (*goFile, error) {
	base := strings.TrimSuffix(file, "-mib.c")
	g := &goFile{file: file, prefix: strings.ToLower(camel(base))[:1] + camel(base)[1:], byC: map[string]string{}}
	// snmp-ups-helpers.c's shared table, which the tables name.
	g.byC["su_convert_to_iso_date_info"] = "lookupUSDateToISO"
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.kind != tIdent {
			continue
		}
		switch t.text {
		case "info_lkp_t", "snmp_info_t", "alarms_info_t", "mib2nut_info_t":
		default:
			continue
		}
		if i+2 >= len(toks) || toks[i+1].kind != tIdent {
			continue
		}
		name := toks[i+1].text
		j := i + 2
		if toks[j].text == "[" {
			j += 2 // []
		}
		if j >= len(toks) || toks[j].text != "=" {
			continue // a declaration
		}
		body, end, err := braces(file, toks, j+1)
		if err != nil {
			return nil, err
		}
		i = end
		switch t.text {
		case "info_lkp_t":
			l, err := g.lookupOf(name, body)
			if err != nil {
				return nil, err
			}
			g.lookups = append(g.lookups, l)
		case "snmp_info_t":
			tb, err := g.tableOf(name, body)
			if err != nil {
				return nil, err
			}
			g.tables = append(g.tables, tb)
		case "alarms_info_t":
			tb, err := g.alarmsOf(name, body)
			if err != nil {
				return nil, err
			}
			g.tables = append(g.tables, tb)
		case "mib2nut_info_t":
			m, err := g.mappingOf(name, body)
			if err != nil {
				return nil, err
			}
			g.mappings = append(g.mappings, m)
		}
	}
	return g, nil
}

// braces returns the tokens inside the braces that start at toks[i],
// and the index of the closing brace.
func braces(file string, toks []token, i int) ([]token, int, error) {
	if i >= len(toks) || toks[i].text != "{" {
		return nil, 0, fmt.Errorf("%s: expected { at line %d", file, toks[min(i, len(toks)-1)].line)
	}
	depth := 0
	for j := i; j < len(toks); j++ {
		switch toks[j].text {
		case "{":
			depth++
		case "}":
			depth--
			if depth == 0 {
				return toks[i+1 : j], j, nil
			}
		}
	}
	return nil, 0, fmt.Errorf("%s:%d: unclosed {", file, toks[i].line)
}

// elements splits an initializer list into its { ... } elements, each
// split into its fields.
func elements(file string, body []token) ([][][]token, error) {
	var out [][][]token
	for i := 0; i < len(body); i++ {
		if body[i].text == "," {
			continue
		}
		inner, end, err := braces(file, body, i)
		if err != nil {
			return nil, err
		}
		out = append(out, fields(inner))
		i = end
	}
	return out, nil
}

func fields(toks []token) [][]token {
	var out [][]token
	var cur []token
	depth := 0
	for _, t := range toks {
		switch t.text {
		case "(", "[", "{":
			depth++
		case ")", "]", "}":
			depth--
		case ",":
			if depth == 0 {
				out = append(out, cur)
				cur = nil
				continue
			}
		}
		cur = append(cur, t)
	}
	return append(out, cur)
}

// str reads a field that is NULL or adjacent string literals.
func str(f []token) (string, bool, error) {
	if len(f) == 1 && (f[0].kind == tIdent && f[0].text == "NULL" || f[0].kind == tNumber && f[0].text == "0") {
		return "", false, nil // a null pointer
	}
	var b strings.Builder
	for _, t := range f {
		if t.kind != tString {
			return "", false, fmt.Errorf("line %d: expected a string or NULL, got %q", t.line, t.text)
		}
		b.WriteString(t.text)
	}
	if len(f) == 0 {
		return "", false, fmt.Errorf("empty field where a string was expected")
	}
	return b.String(), true, nil
}

func cNumber(s string) (float64, error) {
	s = strings.TrimRight(s, "uUlL")
	if strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X") {
		n, err := strconv.ParseInt(s[2:], 16, 64)
		return float64(n), err
	}
	return strconv.ParseFloat(s, 64)
}

// number reads a numeric field: a literal, possibly negative, or
// SU_INFOSIZE.
func number(f []token) (float64, error) {
	neg := false
	if len(f) > 0 && f[0].text == "-" {
		neg, f = true, f[1:]
	}
	for len(f) > 2 && f[0].text == "(" && f[len(f)-1].text == ")" {
		f = f[1 : len(f)-1]
	}
	if len(f) != 1 {
		return 0, fmt.Errorf("expected a number, got %s", join(f))
	}
	var v float64
	switch {
	case f[0].kind == tNumber:
		n, err := cNumber(f[0].text)
		if err != nil {
			return 0, fmt.Errorf("line %d: %v", f[0].line, err)
		}
		v = n
	case f[0].text == "SU_INFOSIZE":
		v = 128
	case f[0].text == "SU_BUFSIZE":
		v = 32
	case f[0].text == "SU_LARGEBUF":
		v = 256
	default:
		return 0, fmt.Errorf("line %d: expected a number, got %s", f[0].line, f[0].text)
	}
	if neg {
		v = -v
	}
	return v, nil
}

func join(f []token) string {
	var s []string
	for _, t := range f {
		s = append(s, t.text)
	}
	return strings.Join(s, " ")
}

var stateFlags = map[string]string{"ST_FLAG_RW": "state.RW", "ST_FLAG_STRING": "state.String"}

var suFlags = map[string]string{
	"SU_FLAG_OK": "OK", "SU_FLAG_STATIC": "Static", "SU_FLAG_ABSENT": "Absent", "SU_FLAG_STALE": "Stale",
	"SU_FLAG_NEGINVALID": "NegInvalid", "SU_FLAG_UNIQUE": "Unique", "SU_FLAG_ZEROINVALID": "ZeroInvalid",
	"SU_FLAG_NAINVALID": "NAInvalid", "SU_CMD_OFFSET": "CmdOffset", "SU_FLAG_SEMI_STATIC": "SemiStatic",
	"SU_OUTLET_GROUP": "OutletGroup", "SU_OUTLET": "Outlet",
	"SU_INPUT_1": "Input1", "SU_INPUT_3": "Input3", "SU_OUTPUT_1": "Output1", "SU_OUTPUT_3": "Output3",
	"SU_BYPASS_1": "Bypass1", "SU_BYPASS_3": "Bypass3",
	"SU_TYPE_INT": "TypeInt", "SU_TYPE_TIME": "TypeTime", "SU_TYPE_CMD": "TypeCmd",
	"SU_TYPE_DAISY_1": "Daisy1", "SU_TYPE_DAISY_2": "Daisy2", "SU_DAISY": "Daisy",
	"SU_TYPE_DAISY_MASTER_ONLY": "DaisyMasterOnly", "SU_AMBIENT_TEMPLATE": "AmbientTemplate",
	"SU_STATUS_PWR": "StatusPwr", "SU_STATUS_BATT": "StatusBatt", "SU_STATUS_CAL": "StatusCal", "SU_STATUS_RB": "StatusRB",
}

// flagSet reads "A | B | C" or 0 into the Go names of the table given.
func flagSet(f []token, names map[string]string) ([]string, error) {
	var out []string
	for _, t := range f {
		switch {
		case t.text == "|" || t.text == "(" || t.text == ")":
		case t.kind == tNumber:
			if n, err := cNumber(t.text); err != nil || n != 0 {
				return nil, fmt.Errorf("line %d: a flag number %s", t.line, t.text)
			}
		default:
			g, ok := names[t.text]
			if !ok {
				return nil, fmt.Errorf("line %d: unknown flag %s", t.line, t.text)
			}
			out = append(out, g)
		}
	}
	return out, nil
}

func (g *goFile) lookupOf(name string, body []token) (*lookup, error) {
	els, err := elements(g.file, body)
	if err != nil {
		return nil, err
	}
	l := &lookup{cname: name, goName: "lk" + camel(g.prefix) + camel(name)}
	for _, e := range els {
		if len(e) < 2 {
			return nil, fmt.Errorf("%s: %s: short entry", g.file, name)
		}
		text, ok, err := str(e[1])
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %v", g.file, name, err)
		}
		if !ok {
			break // { 0, NULL, ... } ends the table
		}
		// A conversion function makes the table a function.
		for _, k := range []int{2, 3} {
			if k < len(e) && len(e[k]) == 1 && e[k][0].text != "NULL" {
				fn, known := funcs[e[k][0].text]
				if !known {
					return nil, fmt.Errorf("%s: %s: unknown lookup function %s", g.file, name, e[k][0].text)
				}
				l.fn = fn
			}
		}
		v, err := number(e[0])
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %v", g.file, name, err)
		}
		l.entries = append(l.entries, lookupEntry{int64(v), text})
	}
	if l.fn != "" {
		l.entries = nil
	}
	g.byC[name] = l.goName
	return l, nil
}

func (g *goFile) tableOf(name string, body []token) (*table, error) {
	els, err := elements(g.file, body)
	if err != nil {
		return nil, err
	}
	tb := &table{cname: name, goName: "rows" + camel(g.prefix) + camel(name)}
	for _, e := range els {
		if len(e) != 7 {
			return nil, fmt.Errorf("%s: %s: an entry of %d fields (line %d), expected 7", g.file, name, len(e), lineOf(e))
		}
		v, ok, err := str(e[0])
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %v", g.file, name, err)
		}
		if !ok {
			break
		}
		r := row{varName: v, line: lineOf(e)}
		if r.info, err = flagSet(e[1], stateFlags); err != nil {
			return nil, fmt.Errorf("%s: %s: %v", g.file, name, err)
		}
		if r.length, err = number(e[2]); err != nil {
			return nil, fmt.Errorf("%s: %s: %s: %v", g.file, name, v, err)
		}
		if r.oid, r.hasOID, err = str(e[3]); err != nil {
			return nil, fmt.Errorf("%s: %s: %s: %v", g.file, name, v, err)
		}
		if r.dfl, r.hasDefault, err = str(e[4]); err != nil {
			return nil, fmt.Errorf("%s: %s: %s: %v", g.file, name, v, err)
		}
		if r.flags, err = flagSet(e[5], suFlags); err != nil {
			return nil, fmt.Errorf("%s: %s: %s: %v", g.file, name, v, err)
		}
		if r.lookup, err = g.lookupRef(e[6]); err != nil {
			return nil, fmt.Errorf("%s: %s: %s: %v", g.file, name, v, err)
		}
		tb.rows = append(tb.rows, r)
	}
	g.byC[name] = tb.goName
	return tb, nil
}

func lineOf(e [][]token) int {
	for _, f := range e {
		if len(f) > 0 {
			return f[0].line
		}
	}
	return 0
}

// lookupRef reads NULL, name, &name[0] or &name[FUNMAP_...].
func (g *goFile) lookupRef(f []token) (string, error) {
	if len(f) == 1 && f[0].text == "NULL" {
		return "", nil
	}
	var name string
	switch {
	case len(f) == 1 && f[0].kind == tIdent:
		name = f[0].text
	case len(f) >= 2 && f[0].text == "&" && f[1].kind == tIdent:
		name = f[1].text
		if len(f) == 5 && f[2].text == "[" && f[4].text == "]" {
			if f[3].text != "0" && f[3].text != "FUNMAP_USDATE_TO_ISODATE" {
				return "", fmt.Errorf("lookup index %s", f[3].text)
			}
		} else if len(f) != 2 {
			return "", fmt.Errorf("lookup reference %s", join(f))
		}
	default:
		return "", fmt.Errorf("lookup reference %s", join(f))
	}
	goName, ok := g.byC[name]
	if !ok {
		return "", fmt.Errorf("unknown lookup %s", name)
	}
	return goName, nil
}

func (g *goFile) alarmsOf(name string, body []token) (*table, error) {
	els, err := elements(g.file, body)
	if err != nil {
		return nil, err
	}
	tb := &table{cname: name, goName: "alarms" + camel(g.prefix) + camel(name), isAlarms: true}
	for _, e := range els {
		if len(e) != 3 {
			return nil, fmt.Errorf("%s: %s: an alarm of %d fields", g.file, name, len(e))
		}
		oid, ok, err := str(e[0])
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %v", g.file, name, err)
		}
		if !ok {
			break
		}
		st, _, err := str(e[1])
		if err != nil {
			return nil, err
		}
		al, _, err := str(e[2])
		if err != nil {
			return nil, err
		}
		tb.alarms = append(tb.alarms, alarm{oid, st, al})
	}
	g.byC[name] = tb.goName
	return tb, nil
}

func (g *goFile) mappingOf(name string, body []token) (*mapping, error) {
	f := fields(body)
	if len(f) != 7 {
		return nil, fmt.Errorf("%s: %s: %d fields, expected 7", g.file, name, len(f))
	}
	m := &mapping{cname: name, goName: "m" + camel(name)}
	var err error
	for k, p := range map[int]*string{0: &m.name, 1: &m.version, 2: &m.pwrStatus, 3: &m.autoCheck, 5: &m.sysOID} {
		if *p, _, err = str(f[k]); err != nil {
			return nil, fmt.Errorf("%s: %s: field %d: %v", g.file, name, k+1, err)
		}
	}
	for k, p := range map[int]*string{4: &m.rows, 6: &m.alarms} {
		if len(f[k]) == 1 && f[k][0].text == "NULL" {
			continue
		}
		if len(f[k]) != 1 {
			return nil, fmt.Errorf("%s: %s: field %d: %s", g.file, name, k+1, join(f[k]))
		}
		goName, ok := g.byC[f[k][0].text]
		if !ok {
			return nil, fmt.Errorf("%s: %s: unknown table %s", g.file, name, f[k][0].text)
		}
		*p = goName
	}
	return m, nil
}

func (g *goFile) emit(tag string) ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "// Code generated by mibgen from NUT %s drivers/%s; DO NOT EDIT.\n\npackage mib\n\n", tag, g.file)
	needState := false
	for _, tb := range g.tables {
		for _, r := range tb.rows {
			if len(r.info) > 0 {
				needState = true
			}
		}
	}
	if needState {
		b.WriteString("import \"gonut/state\"\n\n")
	}
	for _, l := range g.lookups {
		fmt.Fprintf(&b, "var %s = &Lookup{Name: %q", l.goName, l.cname)
		if l.fn != "" {
			fmt.Fprintf(&b, ", Func: %s}\n\n", l.fn)
			continue
		}
		b.WriteString(", Entries: []LookupEntry{\n")
		for _, e := range l.entries {
			fmt.Fprintf(&b, "\t{%d, %q},\n", e.value, e.text)
		}
		b.WriteString("}}\n\n")
	}
	for _, tb := range g.tables {
		if tb.isAlarms {
			fmt.Fprintf(&b, "var %s = []Alarm{\n", tb.goName)
			for _, a := range tb.alarms {
				fmt.Fprintf(&b, "\t{%q, %q, %q},\n", a.oid, a.status, a.alarm)
			}
			b.WriteString("}\n\n")
			continue
		}
		fmt.Fprintf(&b, "// %s is NUT's %s.\nvar %s = []Row{\n", tb.goName, tb.cname, tb.goName)
		for _, r := range tb.rows {
			fmt.Fprintf(&b, "\t{Var: %q", r.varName)
			if len(r.info) > 0 {
				fmt.Fprintf(&b, ", Info: %s", strings.Join(r.info, " | "))
			}
			fmt.Fprintf(&b, ", Len: %s", strconv.FormatFloat(r.length, 'g', -1, 64))
			if r.hasOID {
				fmt.Fprintf(&b, ", OID: %q", r.oid)
			}
			if r.hasDefault {
				fmt.Fprintf(&b, ", Default: %q, HasDefault: true", r.dfl)
			}
			if len(r.flags) > 0 {
				fmt.Fprintf(&b, ", Flags: %s", strings.Join(r.flags, " | "))
			}
			if r.lookup != "" {
				fmt.Fprintf(&b, ", Lookup: %s", r.lookup)
			}
			b.WriteString("},\n")
		}
		b.WriteString("}\n\n")
	}
	for _, m := range g.mappings {
		fmt.Fprintf(&b, "var %s = Mapping{Name: %q, Version: %q, PowerStatusOID: %q, AutoCheckOID: %q, SysOID: %q",
			m.goName, m.name, m.version, m.pwrStatus, m.autoCheck, m.sysOID)
		if m.rows != "" {
			fmt.Fprintf(&b, ", Rows: %s", m.rows)
		}
		if m.alarms != "" {
			fmt.Fprintf(&b, ", Alarms: %s", m.alarms)
		}
		b.WriteString("}\n\n")
	}
	code, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("%s: %v\n%s", g.file, err, b.String())
	}
	return code, nil
}
