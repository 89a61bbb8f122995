package upsc

import (
	"fmt"
	"io"
	"strings"

	"gonut/internal/jsonesc"
)

// shape is what an answer of upsc is: one value (upsc ups var), an object
// (every variable, or -L), or an array (-l, -c). With -j, an error takes
// the shape NUT master gives it there.
type shape int

const (
	oneValue shape = iota
	object
	array
)

// printer prints upsc's answers and errors as text, or as NUT master's
// upsc -j prints them (clients/upsc.c): two-space indents, ",\n" between
// members, and a newline after the closing bracket.
type printer struct {
	json           bool
	stdout, stderr io.Writer
}

// fail prints "Error: msg" on stderr and, with -j, an error object on
// stdout, shaped as in NUT master: {"error": "..."} for one value and for
// failures before any answer; for a bad row in a list, that list's
// bracket around it; and the object's brace for variables.
func (p printer) fail(s shape, msg string) int {
	if p.json {
		switch s {
		case oneValue:
			io.WriteString(p.stdout, jsonesc.Error(msg))
		case object:
			io.WriteString(p.stdout, jsonesc.ObjectError(msg))
		case array:
			io.WriteString(p.stdout, jsonesc.ArrayError(msg))
		}
	}
	fmt.Fprintf(p.stderr, "Error: %s\n", msg)
	return 1
}

// rows ends a list whose rows complete found: show prints the good rows
// (before the bad one, if any; as NUT's, in text), then the bad row's
// error, if any, ends upsc. With -j and a bad row, only the error is
// printed: NUT master's rows and error together are not JSON.
func (p printer) rows(s shape, bad string, show func()) int {
	if bad == "" || !p.json {
		show()
	}
	if bad != "" {
		return p.fail(s, bad)
	}
	return 0
}

// value prints one variable's value.
func (p printer) value(v string) {
	if p.json {
		v = jsonesc.Quote(v)
	}
	fmt.Fprintln(p.stdout, v)
}

// pairs prints names and values: "name: value" lines, or a JSON object.
func (p printer) pairs(kv [][2]string) {
	if !p.json {
		var b strings.Builder
		for _, x := range kv {
			fmt.Fprintf(&b, "%s: %s\n", x[0], x[1])
		}
		io.WriteString(p.stdout, b.String())
		return
	}
	io.WriteString(p.stdout, jsonesc.Object(kv))
}

// list prints names: one a line, or a JSON array.
func (p printer) list(names []string) {
	if !p.json {
		var b strings.Builder
		for _, n := range names {
			b.WriteString(n + "\n")
		}
		io.WriteString(p.stdout, b.String())
		return
	}
	io.WriteString(p.stdout, jsonesc.Array(names))
}
