package jsonesc

import "strings"

// Object is names and values as NUT master's upsc -j prints an object of
// variables: two-space indents, ",\n" between members, a newline after
// the closing brace.
func Object(kv [][2]string) string {
	members := make([]string, len(kv))
	for i, x := range kv {
		members[i] = "  " + Quote(x[0]) + ": " + Quote(x[1])
	}
	return "{\n" + strings.Join(members, ",\n") + "\n}\n"
}

// Array is names as NUT master's upsc -j -l prints them.
func Array(names []string) string {
	members := make([]string, len(names))
	for i, n := range names {
		members[i] = "  " + Quote(n)
	}
	return "[\n" + strings.Join(members, ",\n") + "\n]\n"
}

// Error is {"error": "msg"}, as NUT master's upsc -j prints a failure
// to get one value.
func Error(msg string) string { return "{\"error\": " + Quote(msg) + "}\n" }

// ObjectError is the error object NUT master's upsc -j prints where an
// object of variables was due.
func ObjectError(msg string) string { return "{\n  \"error\": " + Quote(msg) + "\n}\n" }

// ArrayError is the error NUT master's upsc -j prints where a list was
// due.
func ArrayError(msg string) string { return "[\n  {\"error\": " + Quote(msg) + "\n}\n]\n" }
