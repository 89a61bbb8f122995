package hid

import (
	"strings"
	"testing"
)

func TestNames(t *testing.T) {
	vendor := UsageTable{{Name: "APCStatusFlag", Usage: 0xff860060}, {Name: "Voltage", Usage: 0xff860030}}
	std := UsageTable{
		{Name: "UPS", Usage: 0x00840004}, {Name: "Voltage", Usage: 0x00840030},
		{Name: "Undefined", Usage: 0x00840000}, {Name: "Undefined", Usage: 0x00850000},
		{Name: "Flow", Usage: 0x0084001e}, {Name: "ConfigFrequency", Usage: 0x00840042},
	}
	n := NewNames(vendor, std)

	// The first table names a usage and owns a name.
	if s, _ := n.Name(0x00840030); s != "Voltage" {
		t.Errorf("Name(0x00840030) = %q", s)
	}
	if u, _ := n.Usage("voltage"); u != 0xff860030 {
		t.Errorf("Usage(voltage) = %08x, want the vendor table's", uint32(u))
	}
	if u, _ := n.Usage("Undefined"); u != 0x00840000 {
		t.Errorf("Usage(Undefined) = %08x, want the first", uint32(u))
	}
	if s, _ := n.Name(0x00850000); s != "Undefined" {
		t.Errorf("Name(0x00850000) = %q", s)
	}

	p := Path{0x00840004, 0x0084001e, IndexNode(3), 0x00840042}
	if s := n.Format(p); s != "UPS.Flow.[3].ConfigFrequency" {
		t.Errorf("Format = %q", s)
	}
	if s := n.Format(Path{0x00840004, 0xff860023, 0}); s != "UPS.ff860023.00000000" {
		t.Errorf("Format unnamed = %q", s)
	}
	for _, s := range []string{"UPS.Flow.[3].ConfigFrequency", "ups.flow.[3].configfrequency", "UPS.ff860023.00000000", "UPS.ff86"} {
		q, err := n.Parse(s)
		if err != nil {
			t.Errorf("Parse(%q): %v", s, err)
			continue
		}
		if back, err := n.Parse(n.Format(q)); err != nil || !back.Equal(q) {
			t.Errorf("Parse(Format(Parse(%q))) = %x %v, want %x", s, back, err, q)
		}
	}
	for _, s := range []string{"UPS.NoSuchThing", "UPS..Flow", "UPS.[128]", "UPS.[x]", "UPS.123456789"} {
		if _, err := n.Parse(s); err == nil || !strings.Contains(err.Error(), "is not a usage name") {
			t.Errorf("Parse(%q): %v", s, err)
		}
	}
}
