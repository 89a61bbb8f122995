package upslog

import (
	"strconv"
	"strings"
	"time"
)

// DefaultFormat is NUT's default log line.
const DefaultFormat = "%TIME @Y@m@d @H@M@S% %VAR battery.charge% " +
	"%VAR input.voltage% %VAR ups.load% [%VAR ups.status%] " +
	"%VAR ups.temperature% %VAR input.frequency%"

// maxLine is NUT's log line buffer: longer lines are cut.
const maxLine = 4095

// Context is what a log line's escapes read.
type Context struct {
	Now     time.Time
	Host    string // the local host name, for %HOST%
	UPSHost string // the UPS as given to -s, for %UPSHOST%
	PID     int
	// Get returns a variable's value, false when upsd has none to give.
	Get func(name string) (string, bool)
}

type item func(b *strings.Builder, c *Context)

// Format is a compiled log format.
type Format []item

// Escapes, tried in this order; a name matches when the escape's command
// begins with it, case aside, as in NUT.
var escapes = []struct {
	name string
	fn   func(arg string) item
}{
	{"HOST", func(string) item { return func(b *strings.Builder, c *Context) { b.WriteString(c.Host) } }},
	{"UPSHOST", func(string) item { return func(b *strings.Builder, c *Context) { b.WriteString(c.UPSHost) } }},
	{"PID", func(string) item { return func(b *strings.Builder, c *Context) { b.WriteString(strconv.Itoa(c.PID)) } }},
	{"TIME", func(arg string) item {
		f := strings.ReplaceAll(arg, "@", "%")
		return func(b *strings.Builder, c *Context) { b.WriteString(Strftime(f, c.Now)) }
	}},
	{"VAR", func(arg string) item {
		if arg == "" || !strings.Contains(arg, ".") {
			return literal("INVALID")
		}
		return func(b *strings.Builder, c *Context) {
			if v, ok := c.Get(arg); ok {
				b.WriteString(v)
			} else {
				b.WriteString("NA")
			}
		}
	}},
	{"ETIME", func(string) item {
		return func(b *strings.Builder, c *Context) { b.WriteString(strconv.FormatInt(c.Now.Unix(), 10)) }
	}},
}

func literal(s string) item { return func(b *strings.Builder, _ *Context) { b.WriteString(s) } }

// Compile reads a format: text, "%%" for a percent sign, and escapes
// "%NAME[ arg]%" (HOST, UPSHOST, PID, TIME fmt, VAR name, ETIME). An
// unknown escape, or a "%" with no closing one, logs "INVALID", as NUT's
// upslog does.
func Compile(format string) Format {
	var f Format
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			j := strings.IndexByte(format[i:], '%')
			if j < 0 {
				j = len(format) - i
			}
			f = append(f, literal(format[i:i+j]))
			i += j - 1
			continue
		}
		if i+1 < len(format) && format[i+1] == '%' {
			f = append(f, literal("%"))
			i++
			continue
		}
		end := strings.IndexByte(format[i+1:], '%')
		if end < 0 {
			// NUT goes on with the text after the lone "%".
			f = append(f, literal("INVALID"))
			continue
		}
		cmd, arg, _ := strings.Cut(format[i+1:i+1+end], " ")
		it := literal("INVALID")
		for _, e := range escapes {
			if len(cmd) >= len(e.name) && strings.EqualFold(cmd[:len(e.name)], e.name) {
				it = e.fn(arg)
				break
			}
		}
		f = append(f, it)
		i += end + 1
	}
	return f
}

// Line is the log line for c, without its newline.
func (f Format) Line(c *Context) string {
	var b strings.Builder
	for _, it := range f {
		it(&b, c)
	}
	s := b.String()
	if len(s) > maxLine {
		s = s[:maxLine]
	}
	return s
}
