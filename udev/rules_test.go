package udev

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"gonut/drivers/usb"
)

// The committed rules are what the generator writes from the tables now.
func TestRulesFileUpToDate(t *testing.T) {
	b, err := os.ReadFile(FileName)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != Rules(Tables(), Pending) {
		t.Errorf("%s is not what the drivers' tables give: run `go run ./udev/gen -o udev/%s` (make does)", FileName, FileName)
	}
}

var ruleLine = regexp.MustCompile(`^ATTR\{idVendor\}=="([0-9a-fA-F]{4})", ATTR\{idProduct\}=="([0-9a-fA-F]{4})", MODE="([0-7]+)", GROUP="([^"]+)"(.*)$`)

type parsed struct {
	mode, group, rest, comment string
	upper                      bool // the IDs are written in capitals
}

// readRules reads a rules file's device lines, by "vvvv:pppp", with the
// comment line above each.
func readRules(t *testing.T, path string) map[string]parsed {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]parsed{}
	var comment string
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		l := sc.Text()
		if strings.HasPrefix(l, "#  ") {
			comment = l
			continue
		}
		if m := ruleLine.FindStringSubmatch(l); m != nil {
			id := strings.ToLower(m[1] + ":" + m[2])
			if _, dup := out[id]; dup {
				t.Errorf("%s:%d: %s a second time", path, n, id)
			}
			out[id] = parsed{m[3], m[4], m[5], comment, id != m[1]+":"+m[2]}
		} else if strings.HasPrefix(l, "ATTR") {
			t.Errorf("%s:%d: unexpected rule %q", path, n, l)
		}
		comment = ""
	}
	return out
}

// Every row of every table has its rule, naming the driver that claims
// it first, and every rule is a row of a table: the rules and the tables
// agree, whoever edited either.
func TestRulesAgreeWithTables(t *testing.T) {
	rules := readRules(t, FileName)
	first := map[string]Rule{}
	for _, r := range Collect(Tables(), Pending) {
		first[r.String()] = r
	}
	rows := 0
	for _, tb := range append(Tables(), Pending...) {
		for _, id := range tb.IDs {
			rows++
			r, ok := rules[id.String()]
			if !ok {
				t.Errorf("%s (%s %s) has no rule in %s", id, tb.Driver, id.Subdriver, FileName)
				continue
			}
			// A driver gonut lacks is named apart, so that nothing is
			// started for its devices.
			prop := DriverProperty
			if first[id.String()].Pending {
				prop = PendingProperty
			}
			want := fmt.Sprintf(`, TAG+="systemd", ENV{%s}="%s"`, prop, first[id.String()].Driver)
			if r.mode != Mode || r.group != Group || r.rest != want {
				t.Errorf("%s: rule gives MODE=%s GROUP=%s%s, want MODE=%s GROUP=%s%s", id, r.mode, r.group, r.rest, Mode, Group, want)
			}
		}
	}
	for id := range rules {
		if _, ok := first[id]; !ok {
			t.Errorf("%s: a rule in %s that no table has", id, FileName)
		}
	}
	if rows < 100 || len(rules) < 100 {
		t.Errorf("only %d table rows, %d rules", rows, len(rules))
	}
}

// Every device Debian's NUT rules give the nut group gets the same
// permissions from ours, for the same driver (Debian's comment line
// names it).
func TestDebianRules(t *testing.T) {
	const debian = "/lib/udev/rules.d/" + FileName
	if _, err := os.Stat(debian); err != nil {
		t.Skipf("no %s (Debian's nut-server installs it): %v", debian, err)
	}
	theirs, ours := readRules(t, debian), readRules(t, FileName)
	if len(theirs) < 100 {
		t.Fatalf("only %d rules read from %s", len(theirs), debian)
	}
	for id, d := range theirs {
		o, ok := ours[id]
		if !ok {
			t.Errorf("%s (%s): in %s, not in ours", id, d.comment, debian)
			continue
		}
		if o.mode != d.mode || o.group != d.group {
			t.Errorf("%s: ours MODE=%s GROUP=%s, Debian's MODE=%s GROUP=%s", id, o.mode, o.group, d.mode, d.group)
		}
		drv := d.comment[strings.LastIndex(d.comment, " - ")+3:]
		if d.upper {
			// sysfs writes idVendor in small letters and udev compares
			// exactly: NUT's rule never matches. Ours are in small letters.
			t.Logf("%s: Debian's rule, in capitals, never matches; ours does", id)
		}
		if o.upper {
			t.Errorf("%s: ours in capitals never matches (sysfs writes small letters)", id)
		}
		named := func(prop string) bool {
			return strings.HasPrefix(o.rest, `, TAG+="systemd", ENV{`+prop+`}="`+strings.TrimSpace(drv)+`"`)
		}
		if !named(DriverProperty) && !named(PendingProperty) {
			t.Errorf("%s: Debian's driver %q, ours %s", id, drv, o.rest)
		}
	}
	for id, o := range ours {
		if _, ok := theirs[id]; !ok {
			t.Logf("%s: ours only (%s)", id, o.comment)
		}
	}
}

// A driver is either gonut's (Tables) or pending, never both: one that
// joins Tables takes its rows out of Pending. Pending rows are devices no
// table of ours claims.
func TestPendingDrivers(t *testing.T) {
	ours := map[string]bool{}
	for _, tb := range Tables() {
		ours[tb.Driver] = true
	}
	for _, p := range Pending {
		if ours[p.Driver] {
			t.Errorf("%s has a table now: take its rows out of Pending", p.Driver)
		}
		for _, id := range p.IDs {
			for _, tb := range Tables() {
				if tb.Support(id.VendorID, id.ProductID) == usb.Supported {
					t.Errorf("%s (pending for %s) is claimed by %s", id, p.Driver, tb.Driver)
				}
			}
		}
	}
}
