package devfile

import (
	"bufio"
	"bytes"
	"cmp"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"

	"gonut/test/usbsim/hiddesc"
)

// Device is one device file.
type Device struct {
	VendorID, ProductID, BCDDevice uint16
	// Manufacturer, Product and Serial are the string indexes the device
	// descriptor names (0: none); Strings holds every string by index.
	Manufacturer, Product, Serial uint8
	Strings                       map[uint8]string
	ReportDescriptor              []byte
	Layout                        hiddesc.Layout
	// Reports are the listed reports; Inputs the input reports in file
	// order, which the interrupt pipe sends at start.
	Reports map[hiddesc.Report][]byte
	Inputs  [][]byte
}

// Error is a problem in a device file: the file, the line (0 when the
// problem is the file as a whole) and what was expected.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line == 0 {
		return e.File + ": " + e.Msg
	}
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}

// ReadFile parses the device file at path.
func ReadFile(path string) (*Device, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Parse(path, f)
}

// Parse reads a device file; name is used in errors.
func Parse(name string, r io.Reader) (*Device, error) {
	p := parser{name: name, seen: map[string]int{}, stringLine: map[uint8]int{}}
	d := &Device{Strings: map[uint8]string{}, Reports: map[hiddesc.Report][]byte{}}
	p.dev = d
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<20)
	inDescriptor := false
	for sc.Scan() {
		p.line++
		raw := sc.Text()
		words, err := split(raw)
		if err != nil {
			return nil, p.errorf("%v", err)
		}
		if len(words) == 0 {
			continue
		}
		indented := raw[0] == ' ' || raw[0] == '\t'
		if inDescriptor && indented {
			b, err := ParseHex(words)
			if err != nil {
				return nil, p.errorf("report descriptor: %v", err)
			}
			d.ReportDescriptor = append(d.ReportDescriptor, b...)
			continue
		}
		inDescriptor = false
		if indented {
			return nil, p.errorf("expected a keyword at the start of the line (only the report descriptor's lines are indented)")
		}
		if err := p.keyword(words); err != nil {
			return nil, err
		}
		inDescriptor = words[0] == "report-descriptor"
	}
	if err := sc.Err(); err != nil {
		return nil, &Error{File: name, Line: p.line + 1, Msg: err.Error()}
	}
	return d, p.finish()
}

type reportLine struct {
	r    hiddesc.Report
	line int
}

type parser struct {
	name       string
	line       int
	dev        *Device
	seen       map[string]int // keyword -> line, for those given once
	stringLine map[uint8]int
	reports    []reportLine
}

func (p *parser) errorf(format string, args ...any) error {
	return &Error{File: p.name, Line: p.line, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) once(key string) error {
	if first, ok := p.seen[key]; ok {
		return p.errorf("%s given twice (first at line %d)", key, first)
	}
	p.seen[key] = p.line
	return nil
}

func (p *parser) keyword(w []string) error {
	key := w[0]
	d := p.dev
	switch key {
	case "vendorid", "productid", "bcddevice":
		if err := p.once(key); err != nil {
			return err
		}
		if len(w) != 2 {
			return p.errorf("%s: expected one value of 4 hex digits (e.g. %s 051d)", key, key)
		}
		v, err := strconv.ParseUint(strings.TrimPrefix(w[1], "0x"), 16, 16)
		if err != nil {
			return p.errorf("%s: expected 4 hex digits, not %q", key, w[1])
		}
		*map[string]*uint16{"vendorid": &d.VendorID, "productid": &d.ProductID, "bcddevice": &d.BCDDevice}[key] = uint16(v)
	case "manufacturer", "product", "serial":
		if err := p.once(key); err != nil {
			return err
		}
		index, text, err := p.stringArgs(key, w[1:], map[string]uint8{"manufacturer": 1, "product": 2, "serial": 3}[key])
		if err != nil {
			return err
		}
		if err := p.addString(index, text, key); err != nil {
			return err
		}
		*map[string]*uint8{"manufacturer": &d.Manufacturer, "product": &d.Product, "serial": &d.Serial}[key] = index
	case "string":
		index, text, err := p.stringArgs(key, w[1:], 0)
		if err != nil {
			return err
		}
		return p.addString(index, text, key)
	case "report-descriptor":
		if err := p.once(key); err != nil {
			return err
		}
		if len(w) != 1 {
			return p.errorf("report-descriptor: expected nothing after it on its line (the bytes follow on indented lines)")
		}
	case "feature", "input", "output":
		kind, _ := hiddesc.ParseKind(key)
		if len(w) < 2 || !strings.HasSuffix(w[1], ":") {
			return p.errorf("%s: expected the report ID and a colon, then the report's bytes (e.g. %s 0c: 0c 64)", key, key)
		}
		id, err := strconv.ParseUint(strings.TrimPrefix(strings.TrimSuffix(w[1], ":"), "0x"), 16, 8)
		if err != nil {
			return p.errorf("%s: expected a report ID of 2 hex digits, not %q", key, strings.TrimSuffix(w[1], ":"))
		}
		b, err := ParseHex(w[2:])
		if err != nil {
			return p.errorf("%s %02x: %v", key, id, err)
		}
		if len(b) == 0 {
			return p.errorf("%s %02x: expected the report's bytes after the colon", key, id)
		}
		r := hiddesc.Report{Kind: kind, ID: uint8(id)}
		if _, dup := d.Reports[r]; dup {
			first := p.reports[slices.IndexFunc(p.reports, func(l reportLine) bool { return l.r == r })].line
			return p.errorf("%s %02x given twice (first at line %d)", key, id, first)
		}
		d.Reports[r] = b
		p.reports = append(p.reports, reportLine{r, p.line})
		if kind == hiddesc.Input {
			d.Inputs = append(d.Inputs, b)
		}
	default:
		return p.errorf("unknown keyword %q (expected vendorid, productid, bcddevice, manufacturer, product, serial, string, report-descriptor, feature, input or output)", key)
	}
	return nil
}

// stringArgs reads `[INDEX] "TEXT"`. The index may be left out when def is
// not 0 (it is then def).
func (p *parser) stringArgs(key string, args []string, def uint8) (uint8, string, error) {
	example := fmt.Sprintf(`%s "text" or %s %d "text"`, key, key, def)
	if def == 0 {
		example = fmt.Sprintf(`%s 4 "text"`, key)
	}
	index := def
	if len(args) == 2 || def == 0 {
		if len(args) == 0 {
			return 0, "", p.errorf("%s: expected a string index and a quoted text (%s)", key, example)
		}
		var ok bool
		if index, ok = parseIndex(args[0]); !ok {
			return 0, "", p.errorf("%s: expected a string index from 1 to 255, not %q", key, args[0])
		}
		args = args[1:]
	}
	if len(args) != 1 || !strings.HasPrefix(args[0], `"`) {
		return 0, "", p.errorf("%s: expected a quoted text (%s)", key, example)
	}
	return index, args[0][1:], nil
}

func (p *parser) addString(index uint8, text, what string) error {
	if first, ok := p.stringLine[index]; ok {
		return p.errorf("%s: string index %d is taken already (line %d)", what, index, first)
	}
	p.stringLine[index] = p.line
	p.dev.Strings[index] = text
	return nil
}

func (p *parser) finish() error {
	d := p.dev
	for _, key := range []string{"vendorid", "productid", "report-descriptor"} {
		if _, ok := p.seen[key]; !ok {
			return &Error{File: p.name, Msg: "no " + key + " line (vendorid, productid and report-descriptor are required)"}
		}
	}
	descLine := p.seen["report-descriptor"]
	if len(d.ReportDescriptor) == 0 {
		return &Error{File: p.name, Line: descLine, Msg: "report-descriptor: expected its bytes in hex on the indented lines that follow"}
	}
	layout, err := hiddesc.Parse(d.ReportDescriptor)
	if err != nil {
		return &Error{File: p.name, Line: descLine, Msg: "report descriptor: " + err.Error()}
	}
	d.Layout = layout
	for _, rl := range p.reports {
		if err := layout.Check(rl.r, d.Reports[rl.r]); err != nil {
			return &Error{File: p.name, Line: rl.line, Msg: fmt.Sprintf("%s %02x: %v", rl.r.Kind, rl.r.ID, err)}
		}
	}
	return nil
}

func parseIndex(s string) (uint8, bool) {
	n, err := strconv.ParseUint(s, 10, 8)
	return uint8(n), err == nil && n > 0
}

// ParseHex reads bytes written as pairs of hex digits, one word each
// ("0x" prefix allowed).
func ParseHex(words []string) ([]byte, error) {
	var b []byte
	for _, w := range words {
		h := strings.TrimPrefix(strings.ToLower(w), "0x")
		v, err := strconv.ParseUint(h, 16, 8)
		if err != nil || len(h) > 2 {
			return nil, fmt.Errorf("expected bytes as pairs of hex digits, not %q", w)
		}
		b = append(b, byte(v))
	}
	return b, nil
}

// split cuts a line into words: runs of non-blanks, or a double-quoted text
// (kept with its opening quote, escapes \" and \\ undone). A # at the start
// of a word begins a comment.
func split(line string) ([]string, error) {
	var words []string
	for i := 0; i < len(line); {
		switch c := line[i]; {
		case c == ' ' || c == '\t' || c == '\r':
			i++
		case c == '#':
			return words, nil
		case c == '"':
			var b strings.Builder
			b.WriteByte('"')
			i++
			for {
				if i == len(line) {
					return nil, fmt.Errorf("unterminated quoted text: expected a closing \"")
				}
				c := line[i]
				if c == '"' {
					i++
					break
				}
				if c == '\\' && i+1 < len(line) && (line[i+1] == '"' || line[i+1] == '\\') {
					c = line[i+1]
					i++
				}
				b.WriteByte(c)
				i++
			}
			if i < len(line) && line[i] != ' ' && line[i] != '\t' && line[i] != '\r' {
				return nil, fmt.Errorf("expected a blank after the closing quote")
			}
			words = append(words, b.String())
		default:
			j := i
			for j < len(line) && line[j] != ' ' && line[j] != '\t' && line[j] != '\r' {
				j++
			}
			words = append(words, line[i:j])
			i = j
		}
	}
	return words, nil
}

// Format writes d in the file format; Parse reads it back to the same
// device.
func Format(d *Device) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "vendorid %04x\nproductid %04x\nbcddevice %04x\n", d.VendorID, d.ProductID, d.BCDDevice)
	named := map[uint8]bool{}
	for _, s := range []struct {
		key   string
		index uint8
	}{{"manufacturer", d.Manufacturer}, {"product", d.Product}, {"serial", d.Serial}} {
		if s.index != 0 {
			fmt.Fprintf(&b, "%s %d %s\n", s.key, s.index, quote(d.Strings[s.index]))
			named[s.index] = true
		}
	}
	for _, i := range slices.Sorted(maps.Keys(d.Strings)) {
		if !named[i] {
			fmt.Fprintf(&b, "string %d %s\n", i, quote(d.Strings[i]))
		}
	}
	b.WriteString("report-descriptor\n")
	for rest := d.ReportDescriptor; len(rest) > 0; {
		n := min(len(rest), 16)
		fmt.Fprintf(&b, "  % x\n", rest[:n])
		rest = rest[n:]
	}
	for _, r := range slices.SortedFunc(maps.Keys(d.Reports), func(a, b hiddesc.Report) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.ID, b.ID))
	}) {
		data := d.Reports[r]
		if r.Kind == hiddesc.Input {
			continue
		}
		b.WriteString(r.Line(data) + "\n")
	}
	for _, data := range d.Inputs {
		id := uint8(0)
		if d.Layout.UsesIDs {
			id = data[0]
		}
		b.WriteString(hiddesc.Report{Kind: hiddesc.Input, ID: id}.Line(data) + "\n")
	}
	return b.Bytes()
}

func quote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}
