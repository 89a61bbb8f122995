package web

import (
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Namespace is nut_exporter's default metrics namespace.
const Namespace = "network_ups_tools"

// deviceLabels are the device.* variables nut_exporter puts as labels on
// its device_info metric, in its order.
var deviceLabels = []string{"model", "mfr", "serial", "type", "description", "contact", "location", "part", "macaddr"}

// statuses are the ups.status flags always exported, 0 when the status
// lacks them: nut_exporter's default --nut.statuses.
var statuses = []string{"OL", "OB", "LB", "HB", "RB", "CHRG", "DISCHRG", "BYPASS", "CAL", "OFF", "OVER", "TRIM", "BOOST", "FSD", "SD"}

// nut_exporter's default --nut.on_regex and --nut.off_regex: strings
// exported as 1 and 0.
var (
	onRegex  = regexp.MustCompile(`(?i)^(enable|enabled|on|true|active|activated)$`)
	offRegex = regexp.MustCompile(`(?i)^(disable|disabled|off|false|inactive|deactivated)$`)
)

// family is one metric's samples, each a label set and a value.
type family struct {
	help    string
	samples []string
}

// WriteMetrics writes the UPSes as Prometheus' text format, named as
// nut_exporter names them with its variables left empty (every numeric
// variable): network_ups_tools_<variable with '.' and '-' as '_'>, the
// status as network_ups_tools_ups_status{flag=...} 0/1 series and the
// device as network_ups_tools_device_info; each sample labelled with its
// UPS (ups="..."), as one nut_exporter scrape per UPS is labelled by
// its scrape configuration. A UPS whose data is stale has only
// network_ups_tools_ups_stale 1.
//
// Each HELP is nut_exporter's: the variable's description (desc, as
// upsd's GET DESC gives it) and its name in parentheses.
func WriteMetrics(w io.Writer, upss []UPS, desc func(string) string) error {
	fams := map[string]*family{}
	add := func(name, help, labels string, v float64) {
		f := fams[name]
		if f == nil {
			f = &family{help: help}
			fams[name] = f
		}
		f.samples = append(f.samples, fmt.Sprintf("%s{%s} %s", name, labels, strconv.FormatFloat(v, 'g', -1, 64)))
	}
	for _, u := range upss {
		ups := `ups=` + labelValue(u.Key)
		stale := 0.0
		if u.Err != "" {
			stale = 1
		}
		add(Namespace+"_ups_stale", "1 when nut-web has no fresh data of the UPS (its last error is the reason)", ups, stale)
		if u.Err != "" {
			continue
		}
		device := map[string]string{}
		for _, kv := range u.Vars {
			name, value := kv[0], kv[1]
			if d, ok := strings.CutPrefix(name, "device."); ok {
				device[d] = value
			}
			if name == "ups.status" {
				flags := strings.Fields(value)
				set := map[string]bool{}
				help := desc(name) + " (ups.status)"
				for _, fl := range flags {
					if !set[fl] {
						set[fl] = true
						add(Namespace+"_ups_status", help, "flag="+labelValue(fl)+","+ups, 1)
					}
				}
				for _, fl := range statuses {
					if !set[fl] {
						add(Namespace+"_ups_status", help, "flag="+labelValue(fl)+","+ups, 0)
					}
				}
				continue
			}
			v, ok := number(value)
			if !ok {
				continue
			}
			add(Namespace+"_"+metricName(name), desc(name)+" ("+name+")", ups, v)
		}
		labels := make([]string, 0, len(deviceLabels)+1)
		for _, l := range deviceLabels {
			labels = append(labels, l+"="+labelValue(device[l]))
		}
		add(Namespace+"_device_info", "UPS Device information", strings.Join(append(labels, ups), ","), 1)
	}
	names := make([]string, 0, len(fams))
	for n := range fams {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		f := fams[n]
		fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s gauge\n", n, helpText(f.help), n)
		for _, s := range f.samples {
			b.WriteString(s + "\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// number reads a variable's value as nut_exporter's NUT library does (a
// number), or through its on/off regexes.
func number(s string) (float64, bool) {
	if f, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil {
		return f, true
	}
	switch {
	case onRegex.MatchString(s):
		return 1, true
	case offRegex.MatchString(s):
		return 0, true
	}
	return 0, false
}

// metricName is a variable's name as a metric name: '.' and '-' become
// '_' as in nut_exporter, and anything else Prometheus does not allow too.
func metricName(v string) string {
	b := []byte(v)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			b[i] = '_'
		}
	}
	return string(b)
}

// labelValue quotes a label value as the text format wants.
func labelValue(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(strings.ToValidUTF8(s, "\uFFFD")) + `"`
}

func helpText(s string) string {
	return strings.NewReplacer(`\`, `\\`, "\n", `\n`).Replace(strings.ToValidUTF8(s, "\uFFFD"))
}
