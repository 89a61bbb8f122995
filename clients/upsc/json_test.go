package upsc_test

import (
	"bufio"
	"encoding/json"
	"net"
	"os"
	"strings"
	"testing"

	"gonut/internal/nuttest"
)

// The expected outputs of upsc -j below are NUT master's (clients/upsc.c,
// common/strjson.c; 2.8.5 prints the same). Each was checked byte for byte
// against NUT master's upsc built from its source (v2.8.5-941, without
// SSL): set NUT_MASTER_UPSC to such a binary and the tests run it too and
// compare its stdout, exit code and "Error:" lines with ours.

// want is what one run of upsc should show.
type want struct {
	args []string
	out  string
	code int
	err  string // stderr, without our "upsc: " lines
	// masterDiffers says how NUT master's upsc goes wrong here, where
	// gonut's does not copy it (README); its output is then not compared.
	masterDiffers string
}

// check runs our upsc, and NUT master's if NUT_MASTER_UPSC names it.
func check(t *testing.T, ours string, w want) {
	t.Helper()
	got := nuttest.Exec("", ours, w.args...)
	got.Err = dropLines(got.Err, "upsc: ")
	if got != (nuttest.Result{Out: w.out, Err: w.err, Code: w.code}) {
		t.Errorf("upsc %q\n  got:  %q (exit %d) stderr %q\n  want: %q (exit %d) stderr %q", w.args, got.Out, got.Code, got.Err, w.out, w.code, w.err)
	}
	if withJ(w.args) && !json.Valid([]byte(got.Out)) {
		t.Errorf("upsc %q: not JSON: %q", w.args, got.Out)
	}
	master := os.Getenv("NUT_MASTER_UPSC")
	if master == "" || w.masterDiffers != "" {
		return
	}
	m := nuttest.Exec("", master, w.args...)
	// NUT master's upsc also says what it did not find or drops, and
	// why it would not split a name; only its errors compare.
	m.Err = dropLines(m.Err, "Can't open a user/site-provided default nutauth.conf", "upscli_init called but SSL wasn't compiled in", "upscli_split", "addchar: discarding")
	if m != (nuttest.Result{Out: got.Out, Err: got.Err, Code: got.Code}) {
		t.Errorf("upsc %q\n  NUT master: %q (exit %d) stderr %q\n  ours:       %q (exit %d) stderr %q", w.args, m.Out, m.Code, m.Err, got.Out, got.Code, got.Err)
	}
}

// withJ reports whether -j is among the options (which end at the first
// argument, as upsc reads them).
func withJ(args []string) bool {
	for _, a := range args {
		if a == "--" || !strings.HasPrefix(a, "-") {
			return false
		}
		if strings.Contains(a, "j") {
			return true
		}
	}
	return false
}

// dropLines removes the lines that start with any of prefixes.
func dropLines(s string, prefixes ...string) string {
	var b strings.Builder
	for _, l := range strings.SplitAfter(s, "\n") {
		keep := true
		for _, p := range prefixes {
			if strings.HasPrefix(l, p) {
				keep = false
			}
		}
		if keep {
			b.WriteString(l)
		}
	}
	return b.String()
}

// upsc -j against Debian's upsd and ours, values with quotes and
// backslashes (what NUT's protocol can carry) included.
func TestJSONAgainstUpsd(t *testing.T) {
	ours := nuttest.Build(t, "gonut/cmd/upsc")
	conf := "[a]\n\tdriver = dummy-ups\n\tport = a.dev\n\tdesc = \"Rack \\\"A\\\" \\\\ x\"\n[b]\n\tdriver = dummy-ups\n\tport = b.dev\n"
	files := map[string]string{
		"a.dev": "ups.status: OL\nbattery.charge: 90\nups.mfr: \"say \\\"hi\\\" back\\\\slash\"\n",
		"b.dev": "ups.status: OB\n",
	}
	s, g := nuttest.TwoServers(t, conf, files, "a", "b")
	const badName = "{\"error\": \"invalid UPS definition.\\nRequired format: upsname[@hostname[:port]]\"}\n"
	const badNameErr = "Error: invalid UPS definition.\nRequired format: upsname[@hostname[:port]]\n"
	for _, st := range []*nuttest.Stack{s, g} {
		// A client logged in to a, for -c.
		c, err := net.Dial("tcp", st.HostPort())
		if err != nil {
			t.Fatal(err)
		}
		r := bufio.NewReader(c)
		for _, req := range []string{"USERNAME monuser", "PASSWORD pass", "LOGIN a"} {
			c.Write([]byte(req + "\n"))
			if l, err := r.ReadString('\n'); err != nil || !strings.HasPrefix(l, "OK") {
				t.Fatalf("%s: %q %v", req, l, err)
			}
		}
		a, hp := st.Addr("a"), st.HostPort()
		for _, w := range []want{
			{args: []string{"-j", a, "ups.mfr"}, out: `"say \"hi\" back\\slash"` + "\n"},
			{args: []string{"-j", a, "ups.status", "extra"}, out: "\"OL\"\n"},
			{args: []string{"-j", a, "no.such"}, out: "{\"error\": \"Variable not supported by UPS\"}\n", code: 1, err: "Error: Variable not supported by UPS\n"},
			{args: []string{"-j", a, "nodot"}, out: "{\"error\": \"old-style variable names are not supported\"}\n", code: 1, err: "Error: old-style variable names are not supported\n"},
			{args: []string{"-j", a, "-l"}, out: "{\"error\": \"old-style variable names are not supported\"}\n", code: 1, err: "Error: old-style variable names are not supported\n"},
			{args: []string{"-j", st.Addr("nosuch")}, out: "{\n  \"error\": \"Unknown UPS\"\n}\n", code: 1, err: "Error: Unknown UPS\n"},
			{args: []string{"-j", st.Addr("nosuch"), "ups.status"}, out: "{\"error\": \"Unknown UPS\"}\n", code: 1, err: "Error: Unknown UPS\n"},
			{args: []string{"-j", "-l", hp}, out: "[\n  \"a\",\n  \"b\"\n]\n"},
			{args: []string{"-jl", hp, "extra"}, out: "[\n  \"a\",\n  \"b\"\n]\n"},
			{args: []string{"-j", "-L", hp}, out: "{\n  \"a\": \"Rack \\\"A\\\" \\\\ x\",\n  \"b\": \"Description unavailable\"\n}\n"},
			{args: []string{"-L", "-j", "-c", hp}, out: "{\n  \"a\": \"Rack \\\"A\\\" \\\\ x\",\n  \"b\": \"Description unavailable\"\n}\n"},
			{args: []string{"-j", "-c", a}, out: "[\n  \"127.0.0.1\"\n]\n"},
			{args: []string{"-j", "-c", st.Addr("b")}, out: "[\n\n]\n"},
			{args: []string{"-j", "-c", st.Addr("nosuch")}, out: "{\"error\": \"Unknown UPS\"}\n", code: 1, err: "Error: Unknown UPS\n"},
			{args: []string{"-j", "a@127.0.0.1:1"}, out: "{\"error\": \"Connection failure: Connection refused\"}\n", code: 1, err: "Error: Connection failure: Connection refused\n"},
			{args: []string{"-j", "-l", "127.0.0.1:1"}, out: "{\"error\": \"Connection failure: Connection refused\"}\n", code: 1, err: "Error: Connection failure: Connection refused\n"},
			{args: []string{"-j", "-l", "a:b:c"}, out: "{\"error\": \"invalid hostname.\\nRequired format: [hostname[:port]]\"}\n", code: 1, err: "Error: invalid hostname.\nRequired format: [hostname[:port]]\n"},
			{args: []string{"-j"}, out: badName, code: 1, err: badNameErr},
			{args: []string{"-j", "-c"}, out: badName, code: 1, err: badNameErr},
			{args: []string{"-j", "a@"}, out: badName, code: 1, err: badNameErr},
			{args: []string{"-j", "a@b:c"}, out: badName, code: 1, err: badNameErr},
		} {
			check(t, ours, w)
		}
		c.Close()

		// Every variable: the object holds what the text form lists,
		// in its order, each name and value escaped.
		text := nuttest.Exec("", ours, a)
		var members []string
		for _, l := range strings.Split(strings.TrimSuffix(text.Out, "\n"), "\n") {
			k, v, _ := strings.Cut(l, ": ")
			members = append(members, "  "+nutQuote(k)+": "+nutQuote(v))
		}
		if !strings.Contains(text.Out, `ups.mfr: say "hi" back\slash`) {
			t.Fatalf("upsc %s: %q", a, text.Out)
		}
		check(t, ours, want{args: []string{"-j", a}, out: "{\n" + strings.Join(members, ",\n") + "\n}\n"})
	}
}

// nutQuote is json_print_esc between quotes for what upsd can send
// (printable ASCII): only " and \ are escaped.
func nutQuote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// Hostile answers: upsc's output stays JSON, and is NUT master's
// wherever NUT master's is JSON.
func TestJSONHostileServer(t *testing.T) {
	ours := nuttest.Build(t, "gonut/cmd/upsc")
	h := scripted(t, map[string]string{
		"LIST VAR h": "BEGIN LIST VAR h\n" +
			"VAR h ups.mfr \"say \\\"hi\\\" \\\\ back\"\n" +
			"VAR h ups.model \"tab\there ctl\x01\x1b\x1f del\x7f\"\n" +
			"VAR h ups.serial \"latin\xe9 utf8\xc3\xa9 bad\xff\"\n" +
			"VAR h ups.id \"</script>&'\"\n" +
			"VAR h \"we\\\"ird\" \"\\\\\" extra words\n" +
			"END LIST VAR h\n",
		"GET VAR h ups.model":     "VAR h ups.model \"tab\there ctl\x01 del\x7f\xff\"\n",
		"LIST VAR short":          "BEGIN LIST VAR short\nVAR short ups.status\nVAR short battery.charge \"90\"\nEND LIST VAR short\n",
		"LIST VAR short2":         "BEGIN LIST VAR short2\nVAR short2 ups.status \"OL\"\nVAR short2 battery.charge\nEND LIST VAR short2\n",
		"LIST VAR stale":          "BEGIN LIST VAR stale\nVAR stale ups.status \"OL\"\nERR DATA-STALE\n",
		"LIST VAR gone":           "BEGIN LIST VAR gone\nVAR gone ups.status \"OL\"\n<hang up>",
		"LIST VAR other":          "BEGIN LIST VAR other\nVAR another ups.status \"OB LB\"\nEND LIST VAR other\n",
		"LIST CLIENT h":           "BEGIN LIST CLIENT h\nCLIENT h 127.0.0.1\nCLIENT h \"::1\"\nEND LIST CLIENT h\n",
		"LIST CLIENT short":       "BEGIN LIST CLIENT short\nCLIENT short\nEND LIST CLIENT short\n",
		"GET VAR gone ups.status": "<hang up>",
		"LIST UPS":                "BEGIN LIST UPS\nUPS \"q\\\"u\" \"desc \\\\ \\\"x\\\" \x01\xc3\xa9\"\nUPS b \"Description unavailable\"\nEND LIST UPS\n",
	})
	short := scripted(t, map[string]string{"LIST UPS": "BEGIN LIST UPS\nUPS a\nUPS b \"B\"\nEND LIST UPS\n"})
	empty := scripted(t, map[string]string{"LIST UPS": "BEGIN LIST UPS\nEND LIST UPS\n"})
	old := scripted(t, nil)
	const tooOld = "upsd is too old to support this query"
	const short3 = "insufficient data (got 3 args, need at least 4)"
	const short2 = "insufficient data (got 2 args, need at least 3)"
	for _, w := range []want{
		// Control characters and bytes above 0x7f are dropped by the
		// protocol's parser (NUT's and ours), DEL is kept.
		{args: []string{"-j", "h@" + h}, out: "{\n" +
			"  \"ups.mfr\": \"say \\\"hi\\\" \\\\ back\",\n" +
			"  \"ups.model\": \"tabhere ctl del\x7f\",\n" +
			"  \"ups.serial\": \"latin utf8 bad\",\n" +
			"  \"ups.id\": \"</script>&'\",\n" +
			"  \"we\\\"ird\": \"\\\\\"\n" +
			"}\n"},
		{args: []string{"-j", "h@" + h, "ups.model"}, out: "\"tabhere ctl del\x7f\"\n"},
		{args: []string{"-j", "-l", h}, out: "[\n  \"q\\\"u\",\n  \"b\"\n]\n"},
		{args: []string{"-j", "-L", h}, out: "{\n  \"q\\\"u\": \"desc \\\\ \\\"x\\\" \",\n  \"b\": \"Description unavailable\"\n}\n"},
		{args: []string{"-j", "-c", "h@" + h}, out: "[\n  \"127.0.0.1\",\n  \"::1\"\n]\n"},
		{args: []string{"-j", "-l", empty}, out: "[\n\n]\n"},
		{args: []string{"-j", "-L", empty}, out: "{\n\n}\n"},
		// An old upsd.
		{args: []string{"-j", "u@" + old}, out: "{\n  \"error\": \"" + tooOld + "\"\n}\n", code: 1, err: "Error: " + tooOld + "\n"},
		{args: []string{"-j", "u@" + old, "ups.status"}, out: "{\"error\": \"variable unknown (old upsd detected)\"}\n", code: 1, err: "Error: variable unknown (old upsd detected)\n"},
		{args: []string{"-j", "-l", old}, out: "{\"error\": \"" + tooOld + "\"}\n", code: 1, err: "Error: " + tooOld + "\n"},
		{args: []string{"-j", "-L", old}, out: "{\"error\": \"" + tooOld + "\"}\n", code: 1, err: "Error: " + tooOld + "\n"},
		{args: []string{"-j", "-c", "u@" + old}, out: "{\"error\": \"" + tooOld + "\"}\n", code: 1, err: "Error: " + tooOld + "\n"},
		{args: []string{"-c", "u@" + old}, code: 1, err: "Error: " + tooOld + "\n"},
		// A first row too short.
		{args: []string{"-j", "short@" + h}, out: "{\n  \"error\": \"" + short3 + "\"\n}\n", code: 1, err: "Error: " + short3 + "\n"},
		{args: []string{"-j", "-c", "short@" + h}, out: "[\n  {\"error\": \"" + short2 + "\"\n}\n]\n", code: 1, err: "Error: " + short2 + "\n"},
		{args: []string{"-j", "-l", short}, out: "[\n  {\"error\": \"" + short2 + "\"\n}\n]\n", code: 1, err: "Error: " + short2 + "\n"},
		{args: []string{"-j", "-L", short}, out: "{\n  \"error\": \"" + short2 + "\"\n}\n", code: 1, err: "Error: " + short2 + "\n"},
		{args: []string{"-l", short}, code: 1, err: "Error: " + short2 + "\n"},
		// A later row too short: the text form lists the rows before it,
		// as NUT's; the JSON form is the error alone, where NUT's prints
		// the rows and then the error without a comma between them.
		{args: []string{"short2@" + h}, out: "ups.status: OL\n", code: 1, err: "Error: " + short3 + "\n"},
		{args: []string{"-j", "short2@" + h}, out: "{\n  \"error\": \"" + short3 + "\"\n}\n", code: 1, err: "Error: " + short3 + "\n",
			masterDiffers: "prints {\"ups.status\": \"OL\"  \"error\": ...}, which is not JSON"},
		// A list cut short is an error, where NUT's prints what came and
		// exits 0.
		{args: []string{"-j", "stale@" + h}, out: "{\n  \"error\": \"Data stale\"\n}\n", code: 1, err: "Error: Data stale\n",
			masterDiffers: "prints {\"ups.status\": \"OL\"} and exits 0"},
		{args: []string{"-j", "gone@" + h}, out: "{\n  \"error\": \"Server disconnected\"\n}\n", code: 1, err: "Error: Server disconnected\n",
			masterDiffers: "prints {\"ups.status\": \"OL\"} and exits 0"},
		{args: []string{"-j", "gone@" + h, "ups.status"}, out: "{\"error\": \"Server disconnected\"}\n", code: 1, err: "Error: Server disconnected\n"},
	} {
		check(t, ours, w)
	}
	// A row about another UPS: an error, never this UPS's data (NUT's
	// stops the list there and exits 0).
	got := nuttest.Exec("", ours, "-j", "other@"+h)
	var vars map[string]string
	if err := json.Unmarshal([]byte(got.Out), &vars); err != nil || got.Code != 1 || len(vars) != 1 || vars["error"] == "" {
		t.Errorf("upsc -j other@: %+v", got)
	}
}
