package config

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// NutConf is nut.conf: shell variable assignments that the service scripts
// read (MODE, UPSD_OPTIONS, UPSMON_OPTIONS, POWEROFF_WAIT, ...).
type NutConf struct {
	Mode     string    // none, standalone, netserver or netclient
	Settings []Setting // every assignment, in order
}

// Get returns a variable's value.
func (c *NutConf) Get(key string) (string, bool) { return get(c.Settings, key) }

// Modes that MODE accepts.
func nutModes() []string { return []string{"none", "standalone", "netserver", "netclient"} }

// ParseNutConf reads nut.conf as a shell would read its plain forms:
// KEY=value, KEY="value", KEY='value', "export KEY=...", "export KEY" and
// comments. Anything a shell would expand or run ($..., `...`, $(...)) is
// an error: gonut reads this file, it does not run it.
func ParseNutConf(file string, r io.Reader) (*NutConf, []error) {
	p := &problems{file: file}
	c := &NutConf{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	num := 0
	for sc.Scan() {
		num++
		text := strings.TrimSpace(sc.Text())
		if text == "" || text[0] == '#' {
			continue
		}
		if rest, ok := strings.CutPrefix(text, "export "); ok {
			text = strings.TrimSpace(rest)
			if isName(text) {
				continue // "export KEY": nothing to read
			}
		}
		key, raw, ok := strings.Cut(text, "=")
		if !ok || !isName(key) {
			p.errorf(num, "expected NAME=value, got %q", text)
			continue
		}
		val, err := shellWord(raw)
		if err != nil {
			p.errorf(num, "%s: %v", key, err)
			continue
		}
		c.Settings = append(c.Settings, Setting{Key: key, Value: val, Line: num})
		if key == "MODE" {
			c.Mode = val
			valid := false
			for _, m := range nutModes() {
				valid = valid || m == val
			}
			if !valid {
				p.errorf(num, "MODE=%s: expected one of %s", val, strings.Join(nutModes(), ", "))
			}
		}
	}
	if err := sc.Err(); err != nil {
		p.errs = append(p.errs, fmt.Errorf("%s: %w", file, err))
	}
	return c, p.errs
}

func isName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if !(r == '_' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// shellWord reads the value of an assignment: one shell word made of bare,
// 'single-quoted' and "double-quoted" parts, then optional white space and
// a comment.
func shellWord(s string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t':
			if rest := strings.TrimSpace(s[i:]); rest != "" && rest[0] != '#' {
				return "", fmt.Errorf("more than one word after '=' (quote the value)")
			}
			return b.String(), nil
		case c == '\'':
			end := strings.IndexByte(s[i+1:], '\'')
			if end < 0 {
				return "", fmt.Errorf("unterminated single quote")
			}
			b.WriteString(s[i+1 : i+1+end])
			i += end + 1
		case c == '"':
			i++
			for ; i < len(s) && s[i] != '"'; i++ {
				switch s[i] {
				case '\\':
					if i+1 < len(s) && strings.IndexByte("\"\\$`", s[i+1]) >= 0 {
						i++
					}
				case '$', '`':
					return "", fmt.Errorf("shell expansion (%c) is not supported in nut.conf values", s[i])
				}
				b.WriteByte(s[i])
			}
			if i >= len(s) {
				return "", fmt.Errorf("unterminated double quote")
			}
		case c == '\\':
			if i+1 < len(s) {
				i++
				b.WriteByte(s[i])
			}
		case c == '$' || c == '`' || c == ';' || c == '|' || c == '&' || c == '(' || c == ')' || c == '<' || c == '>':
			return "", fmt.Errorf("shell syntax %q is not supported in nut.conf values", c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}

// LoadNutConf reads nut.conf from disk.
func LoadNutConf(path string) (*NutConf, []error) { return load(path, ParseNutConf) }

// Format writes the file back out, each value single-quoted.
func (c *NutConf) Format() string {
	var b strings.Builder
	for _, s := range c.Settings {
		b.WriteString(s.Key + "=" + shellQuote(s.Value) + "\n")
	}
	return b.String()
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
