package upslog

import (
	"testing"
	"time"
)

func TestFormat(t *testing.T) {
	c := &Context{
		Now: time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC), Host: "box", UPSHost: "ups@server", PID: 42,
		Get: func(name string) (string, bool) {
			v, ok := map[string]string{"ups.status": "OL CHRG", "battery.charge": "90"}[name]
			return v, ok
		},
	}
	for format, want := range map[string]string{
		DefaultFormat:                    "20260304 050607 90 NA NA [OL CHRG] NA NA",
		"%HOST% %UPSHOST% %PID% %ETIME%": "box ups@server 42 1772600767",
		"100%% %VAR ups.status%":         "100% OL CHRG",
		"%var battery.charge%":           "90",
		"%VARIABLE battery.charge%":      "90",
		"%VAR status% %VAR%":             "INVALID INVALID",
		"%BOGUS x% done":                 "INVALID done",
		"open %VAR ups.status":           "open INVALIDVAR ups.status",
		"%TIME @H:@M @Z%":                "05:06 UTC",
		"%TIME%":                         "",
		"":                               "",
		"%":                              "INVALID",
	} {
		if got := Compile(format).Line(c); got != want {
			t.Errorf("%q: got %q, want %q", format, got, want)
		}
	}
}

// Any format compiles and gives a line; no panic on odd escapes.
func FuzzCompile(f *testing.F) {
	for _, s := range []string{DefaultFormat, "%", "%%", "%VAR%", "%TIME @%", "%UNKNOWN x%", "%TIME @Y@m@d @H@M@S@z@Z@@%", "%VAR a.b"} {
		f.Add(s)
	}
	c := &Context{Now: time.Unix(0, 0).UTC(), Get: func(string) (string, bool) { return "v", true }}
	f.Fuzz(func(t *testing.T, format string) {
		if line := Compile(format).Line(c); len(line) > maxLine {
			t.Fatalf("line of %d bytes", len(line))
		}
	})
}
