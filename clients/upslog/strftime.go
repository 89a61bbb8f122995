package upslog

import (
	"fmt"
	"strings"
	"time"
)

var (
	weekdays = []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
	months   = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
)

// Strftime formats t as C's strftime(3) does in the C locale, for the
// conversions upslog users write in %TIME ...% (with @ for %).
// Conversions it does not know are copied as they are.
func Strftime(format string, t time.Time) string {
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' || i+1 == len(format) {
			b.WriteByte(c)
			continue
		}
		i++
		// E and O modifiers mean nothing in the C locale.
		if (format[i] == 'E' || format[i] == 'O') && i+1 < len(format) {
			i++
		}
		conv(&b, format[i], t)
	}
	return b.String()
}

func conv(b *strings.Builder, c byte, t time.Time) {
	hour12 := t.Hour() % 12
	if hour12 == 0 {
		hour12 = 12
	}
	switch c {
	case 'a':
		b.WriteString(weekdays[t.Weekday()][:3])
	case 'A':
		b.WriteString(weekdays[t.Weekday()])
	case 'b', 'h':
		b.WriteString(months[t.Month()-1][:3])
	case 'B':
		b.WriteString(months[t.Month()-1])
	case 'c':
		b.WriteString(Strftime("%a %b %e %H:%M:%S %Y", t))
	case 'C':
		fmt.Fprintf(b, "%02d", t.Year()/100)
	case 'd':
		fmt.Fprintf(b, "%02d", t.Day())
	case 'D', 'x':
		b.WriteString(Strftime("%m/%d/%y", t))
	case 'e':
		fmt.Fprintf(b, "%2d", t.Day())
	case 'F':
		b.WriteString(Strftime("%Y-%m-%d", t))
	case 'g':
		y, _ := t.ISOWeek()
		fmt.Fprintf(b, "%02d", y%100)
	case 'G':
		y, _ := t.ISOWeek()
		fmt.Fprintf(b, "%d", y)
	case 'H':
		fmt.Fprintf(b, "%02d", t.Hour())
	case 'I':
		fmt.Fprintf(b, "%02d", hour12)
	case 'j':
		fmt.Fprintf(b, "%03d", t.YearDay())
	case 'k':
		fmt.Fprintf(b, "%2d", t.Hour())
	case 'l':
		fmt.Fprintf(b, "%2d", hour12)
	case 'm':
		fmt.Fprintf(b, "%02d", int(t.Month()))
	case 'M':
		fmt.Fprintf(b, "%02d", t.Minute())
	case 'n':
		b.WriteByte('\n')
	case 'p':
		if t.Hour() < 12 {
			b.WriteString("AM")
		} else {
			b.WriteString("PM")
		}
	case 'P':
		if t.Hour() < 12 {
			b.WriteString("am")
		} else {
			b.WriteString("pm")
		}
	case 'r':
		b.WriteString(Strftime("%I:%M:%S %p", t))
	case 'R':
		b.WriteString(Strftime("%H:%M", t))
	case 's':
		fmt.Fprintf(b, "%d", t.Unix())
	case 'S':
		fmt.Fprintf(b, "%02d", t.Second())
	case 't':
		b.WriteByte('\t')
	case 'T', 'X':
		b.WriteString(Strftime("%H:%M:%S", t))
	case 'u':
		d := int(t.Weekday())
		if d == 0 {
			d = 7
		}
		fmt.Fprintf(b, "%d", d)
	case 'U':
		fmt.Fprintf(b, "%02d", (t.YearDay()+6-int(t.Weekday()))/7)
	case 'V':
		_, w := t.ISOWeek()
		fmt.Fprintf(b, "%02d", w)
	case 'w':
		fmt.Fprintf(b, "%d", int(t.Weekday()))
	case 'W':
		fmt.Fprintf(b, "%02d", (t.YearDay()+6-(int(t.Weekday())+6)%7)/7)
	case 'y':
		fmt.Fprintf(b, "%02d", t.Year()%100)
	case 'Y':
		fmt.Fprintf(b, "%d", t.Year())
	case 'z':
		_, off := t.Zone()
		sign := '+'
		if off < 0 {
			sign, off = '-', -off
		}
		fmt.Fprintf(b, "%c%02d%02d", sign, off/3600, off%3600/60)
	case 'Z':
		name, _ := t.Zone()
		b.WriteString(name)
	case '%':
		b.WriteByte('%')
	default:
		b.WriteByte('%')
		b.WriteByte(c)
	}
}
