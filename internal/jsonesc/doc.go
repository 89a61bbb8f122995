// Package jsonesc writes a JSON string as NUT master's clients write one
// (common/strjson.c, json_print_esc): the same escapes, byte for byte, for
// any valid UTF-8 text.
package jsonesc
