package jsonesc

import "unicode/utf8"

const hex = "0123456789abcdef"

// Quote returns s as a JSON string, quotes included. As NUT's: `"` and `\`
// are escaped, \b \f \n \r \t take their short forms, the other control
// characters below 0x20 are \u00XX (lower-case hex), and everything else,
// DEL and non-ASCII UTF-8 included, is copied as it is. Unlike NUT's, a
// byte that is not part of valid UTF-8 becomes \ufffd: NUT copies it, and
// its output is then not JSON.
func Quote(s string) string {
	b := make([]byte, 0, len(s)+2)
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n == 1 {
				b = append(b, `\ufffd`...)
			} else {
				b = append(b, s[i:i+n]...)
			}
			i += n
			continue
		}
		switch c {
		case '"':
			b = append(b, `\"`...)
		case '\\':
			b = append(b, `\\`...)
		case '\b':
			b = append(b, `\b`...)
		case '\f':
			b = append(b, `\f`...)
		case '\n':
			b = append(b, `\n`...)
		case '\r':
			b = append(b, `\r`...)
		case '\t':
			b = append(b, `\t`...)
		default:
			if c < 0x20 {
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			} else {
				b = append(b, c)
			}
		}
		i++
	}
	return string(append(b, '"'))
}
