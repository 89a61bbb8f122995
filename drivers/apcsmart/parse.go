package apcsmart

import (
	"fmt"
	"strconv"
	"strings"
)

// digits is the shape "a digits, a dot, b digits".
func digits(a, b int) func(string) bool {
	return func(s string) bool {
		i := strings.IndexByte(s, '.')
		return i == a && len(s) == a+1+b && allIn(s[:i], isDigit) && allIn(s[i+1:], isDigit)
	}
}

// threeParts is a firmware answer of b: three alphanumeric parts.
func threeParts(s string) bool {
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return false
	}
	for _, p := range parts {
		if p == "" || !allIn(p, isAlnum) {
			return false
		}
	}
	return true
}

// atDelay is shutdown.return's "at:NNN" parameter (1 to 3 digits).
func atDelay(s string) bool {
	return len(s) >= 4 && len(s) <= 6 && strings.EqualFold(s[:3], "at:") && allIn(s[3:], isDigit)
}

// csOrNone is shutdown.return's "cs" parameter, or none.
func csOrNone(s string) bool { return s == "" || strings.EqualFold(s, "cs") }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isHex(c byte) bool   { return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }
func isAlnum(c byte) bool { return isDigit(c) || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func allIn(s string, ok func(byte) bool) bool {
	for i := 0; i < len(s); i++ {
		if !ok(s[i]) {
			return false
		}
	}
	return true
}

// parseStatus reads the answer to Q: the status register, in hex.
func parseStatus(s string) (uint8, error) {
	t := strings.TrimSpace(s)
	if t == "" || len(t) > 2 || !allIn(t, isHex) {
		return 0, fmt.Errorf("status answer %q: expected two hex digits", s)
	}
	n, _ := strconv.ParseUint(t, 16, 8)
	return uint8(n), nil
}

// parseCmdSet reads the answer to `a` (protocol.alerts.commands[.more])
// and returns the command characters; ok is false when the answer is not
// of that form (an old model, which gets the old set-up).
func parseCmdSet(s string) (cmds string, ok bool) {
	parts := strings.Split(s, ".")
	if len(parts) < 3 || len(parts) > 4 || len(parts[0]) != 1 || !isDigit(parts[0][0]) || parts[2] == "" || len(parts) == 4 && parts[3] == "" {
		return "", false
	}
	return parts[2], true
}

// capability is one entry of the capability string: the values a
// variable may take, in the UPS's raw form, for a locale.
type capability struct {
	cmd, loc byte
	values   []string
}

// parseCaps reads the answer to ^Z: '#', then entries of a command
// character, a locale character, a count and a length (as digits
// counted from '0'), and count values of that length; a Matrix-UPS puts
// "##" before each entry. It returns the entries read and, when the
// string is cut short or malformed, an error saying where (the entries
// before it stand).
func parseCaps(s string) ([]capability, error) {
	if s == "" || s[0] != '#' {
		return nil, fmt.Errorf("capability string %q: expected it to start with '#'", s)
	}
	matrix := len(s) > 1 && s[1] == '#'
	p := 1
	if matrix {
		p = 0
	}
	var out []capability
	for p < len(s) {
		if matrix {
			if !strings.HasPrefix(s[p:], "##") {
				return out, fmt.Errorf("capability string: expected ## at byte %d", p)
			}
			p += 2
		}
		if p+4 > len(s) {
			return out, fmt.Errorf("capability string cut short at byte %d", p)
		}
		c := capability{cmd: s[p], loc: s[p+1]}
		n, l := int(s[p+2])-'0', int(s[p+3])-'0'
		if n < 0 || l < 0 {
			return out, fmt.Errorf("capability string: count or length out of range at byte %d", p+2)
		}
		p += 4
		if p+n*l > len(s) {
			return out, fmt.Errorf("capability string cut short in the entry of %q", c.cmd)
		}
		for i := 0; i < n; i++ {
			c.values = append(c.values, s[p:p+l])
			p += l
		}
		out = append(out, c)
	}
	return out, nil
}

// leadingInt is strtol's reading of a number: blanks, a sign, digits,
// and whatever follows ignored (j answers "0112:").
func leadingInt(s string) int64 {
	s = strings.TrimLeft(s, " \t")
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	j := i
	for j < len(s) && isDigit(s[j]) {
		j++
	}
	n, err := strconv.ParseInt(s[:j], 10, 64)
	if err != nil && j > i {
		if s[0] == '-' {
			return -1 << 63
		}
		return 1<<63 - 1
	}
	return n
}

// reasons are input.transfer.reason's words for G's letters.
var reasons = map[byte]string{
	'R': "unacceptable utility voltage rate of change",
	'H': "high utility voltage",
	'L': "low utility voltage",
	'T': "line voltage notch or spike",
	'O': "no transfers yet since turnon",
	'S': "simulated power failure or UPS test",
}

// convert turns a raw answer into the variable's NUT value.
func convert(f format, raw string) string {
	switch f {
	case fMinutes:
		return strconv.FormatInt(mulSat(leadingInt(raw), 60), 10)
	case fHours:
		return strconv.FormatInt(mulSat(leadingInt(raw), 3600), 10)
	case fReason:
		if raw != "" {
			if r, ok := reasons[raw[0]]; ok {
				return r
			}
		}
	}
	return raw
}

func mulSat(n, by int64) int64 {
	const max, min = 1<<63 - 1, -1 << 63
	switch {
	case n > max/by:
		return max
	case n < min/by:
		return min
	}
	return n * by
}

// packMax is how many fields of a packed answer are read.
const packMax = 4

// unpack splits a packed answer into its fields (at most packMax; more
// reports true).
func unpack(raw string) (fields []string, more bool) {
	fields = strings.SplitN(raw, ",", packMax+1)
	if len(fields) > packMax {
		return fields[:packMax], true
	}
	return fields, false
}

// packedName is the name of field i (from 0) of a packed variable:
// ambient.0.x becomes ambient.<i+1>.x.
func packedName(name string, i int) string {
	return strings.Replace(name, ".0.", "."+strconv.Itoa(i+1)+".", 1)
}
