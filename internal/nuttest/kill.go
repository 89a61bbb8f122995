package nuttest

import "strings"

// ParseKill reads a drivers/hid testdata .kill file: under each
// "[options]" line (key=value words, none for the defaults), the
// SET_REPORTs Debian's usbhid-ups -k sends with those options, in order,
// one a line. Blank lines and lines starting with # are skipped.
func ParseKill(data string) map[string][]string {
	out := map[string][]string{}
	opts := ""
	for _, l := range strings.Split(data, "\n") {
		switch {
		case l == "" || strings.HasPrefix(l, "#"):
		case strings.HasPrefix(l, "[") && strings.HasSuffix(l, "]"):
			opts = l[1 : len(l)-1]
			out[opts] = []string{}
		default:
			out[opts] = append(out[opts], l)
		}
	}
	return out
}
