package hid

import (
	"fmt"
	"strconv"
	"strings"
)

// A UsageName names a usage, as a row of NUT's usage_lkp_t tables.
type UsageName struct {
	Name  string
	Usage Usage
}

// A UsageTable is a list of usage names: NUT's hid_usage_lkp for the
// Power Device and Battery System pages, or a subdriver's own table.
type UsageTable []UsageName

// Names turns paths into NUT's path strings and back, with usage tables
// searched in order, as a NUT subdriver's list of tables (its own first,
// then the standard one): the first name of a usage is the one printed,
// and the first usage of a name, ignoring case, the one read.
type Names struct {
	byUsage map[Usage]string
	byName  map[string]Usage
}

// NewNames builds the lookups of tables, searched in the order given.
func NewNames(tables ...UsageTable) *Names {
	n := &Names{byUsage: map[Usage]string{}, byName: map[string]Usage{}}
	for _, t := range tables {
		for _, e := range t {
			if _, ok := n.byUsage[e.Usage]; !ok {
				n.byUsage[e.Usage] = e.Name
			}
			key := strings.ToLower(e.Name)
			if _, ok := n.byName[key]; !ok {
				n.byName[key] = e.Usage
			}
		}
	}
	return n
}

// Name is the name of usage u, if a table has one.
func (n *Names) Name(u Usage) (string, bool) {
	s, ok := n.byUsage[u]
	return s, ok
}

// Usage is the usage named name (any case), if a table has it.
func (n *Names) Usage(name string) (Usage, bool) {
	u, ok := n.byName[strings.ToLower(name)]
	return u, ok
}

// Format writes a path as NUT does: the nodes' names joined by dots, a
// collection index as [n], and a usage no table names as 8 hex digits
// (UPS.PowerSummary.ff860060).
func (n *Names) Format(p Path) string {
	var b strings.Builder
	for i, u := range p {
		if i > 0 {
			b.WriteByte('.')
		}
		if s, ok := n.byUsage[u]; ok {
			b.WriteString(s)
		} else if idx, ok := u.IsIndex(); ok {
			fmt.Fprintf(&b, "[%d]", idx)
		} else {
			fmt.Fprintf(&b, "%08x", uint32(u))
		}
	}
	return b.String()
}

// Parse reads a path string as Format writes it: each dot-separated part
// a usage name, a usage in hex (ff860060) or a collection index [n].
//
// NUT drops a part it cannot read, with a debug message, and goes on with a
// shorter path; this is an error instead.
func (n *Names) Parse(s string) (Path, error) {
	parts := strings.Split(s, ".")
	p := make(Path, 0, len(parts))
	for _, part := range parts {
		if u, ok := n.Usage(part); ok {
			p = append(p, u)
			continue
		}
		if len(part) > 0 && len(part) <= 8 {
			if v, err := strconv.ParseUint(part, 16, 32); err == nil {
				p = append(p, Usage(v))
				continue
			}
		}
		if len(part) > 2 && part[0] == '[' && part[len(part)-1] == ']' {
			if v, err := strconv.Atoi(part[1 : len(part)-1]); err == nil && v >= 0 && v < 0x80 {
				p = append(p, IndexNode(v))
				continue
			}
		}
		return nil, fmt.Errorf("HID path %q: %q is not a usage name, a usage in hex or an index [0-127]", s, part)
	}
	return p, nil
}
