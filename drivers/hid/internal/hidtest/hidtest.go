package hidtest

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// A Sample is one real device's descriptor.
type Sample struct {
	Name      string // file name without .hex
	Path      string // of the .hex file
	Desc      []byte
	VendorID  uint16
	ProductID uint16
	BCD       uint16
	Subdriver string
	Reports   [][]byte // from NAME.reports, if any
}

// Load reads every sample in dir.
func Load(dir string) ([]Sample, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.hex"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("no samples in %s: %v", dir, err)
	}
	var samples []Sample
	for _, f := range files {
		s, err := load(f)
		if err != nil {
			return nil, err
		}
		samples = append(samples, s)
	}
	return samples, nil
}

func load(path string) (Sample, error) {
	s := Sample{Path: path, Name: strings.TrimSuffix(filepath.Base(path), ".hex"), BCD: 0x0100}
	lines, comments, err := ReadHex(path)
	if err != nil {
		return s, err
	}
	for _, l := range lines {
		s.Desc = append(s.Desc, l...)
	}
	for _, c := range comments {
		if v, ok := strings.CutPrefix(c, "device: "); ok {
			if n, _ := fmt.Sscanf(v, "%04x:%04x bcd %04x", &s.VendorID, &s.ProductID, &s.BCD); n < 2 {
				return s, fmt.Errorf("%s: %q: expected device: VVVV:PPPP [bcd BBBB]", path, c)
			}
		}
		if v, ok := strings.CutPrefix(c, "subdriver: "); ok {
			s.Subdriver = v
		}
	}
	if s.VendorID == 0 || s.Subdriver == "" {
		return s, fmt.Errorf("%s: no '# device:' or '# subdriver:' line", path)
	}
	if _, err := os.Stat(s.File(".reports")); err == nil {
		if s.Reports, _, err = ReadHex(s.File(".reports")); err != nil {
			return s, err
		}
	}
	return s, nil
}

// File is the sample's file with another extension (".nut", ".log").
func (s *Sample) File(ext string) string {
	return strings.TrimSuffix(s.Path, ".hex") + ext
}

// ReadHex reads a file of hex bytes: each line that is not a '#' comment
// is one slice. It returns the comments too, without their "# ".
func ReadHex(path string) (lines [][]byte, comments []string, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if c, ok := strings.CutPrefix(line, "#"); ok {
			comments = append(comments, strings.TrimSpace(c))
			continue
		}
		if line == "" {
			continue
		}
		b, err := hex.DecodeString(strings.ReplaceAll(line, " ", ""))
		if err != nil {
			return nil, nil, fmt.Errorf("%s:%d: %v", path, n, err)
		}
		lines = append(lines, b)
	}
	return lines, comments, nil
}

// ReadLines reads the lines of a text file that are not '#' comments.
func ReadLines(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var lines []string
	for _, l := range strings.Split(string(data), "\n") {
		if l != "" && !strings.HasPrefix(l, "#") {
			lines = append(lines, l)
		}
	}
	return lines, nil
}
