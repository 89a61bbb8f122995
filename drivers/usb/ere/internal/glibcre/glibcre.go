package glibcre

/*
#include <regex.h>
#include <stdlib.h>

static int full_match(regex_t *re, const char *s, size_t len) {
	regmatch_t m;
	if (regexec(re, s, 1, &m, 0) != 0) return 0;
	return m.rm_so == 0 && m.rm_eo == (regoff_t)len;
}
*/
import "C"

import (
	"errors"
	"runtime"
	"strings"
	"unsafe"
)

// Regexp is a compiled glibc regular expression.
type Regexp struct{ re *C.regex_t }

// Compile compiles pattern as NUT's USBNewRegexMatcher does. The error is
// glibc's regerror text.
func Compile(pattern string) (*Regexp, error) {
	if strings.IndexByte(pattern, 0) >= 0 {
		return nil, errors.New("NUL in pattern")
	}
	cp := C.CString(pattern)
	defer C.free(unsafe.Pointer(cp))
	re := (*C.regex_t)(C.malloc(C.sizeof_regex_t))
	if rc := C.regcomp(re, cp, C.REG_EXTENDED|C.REG_ICASE); rc != 0 {
		buf := make([]byte, 256)
		n := C.regerror(rc, re, (*C.char)(unsafe.Pointer(&buf[0])), C.size_t(len(buf)))
		C.free(unsafe.Pointer(re))
		return nil, errors.New(strings.TrimRight(string(buf[:n]), "\x00"))
	}
	r := &Regexp{re: re}
	runtime.SetFinalizer(r, func(r *Regexp) {
		C.regfree(r.re)
		C.free(unsafe.Pointer(r.re))
	})
	return r, nil
}

// MatchString reports whether the whole of s matches, as NUT's
// match_regex checks it.
func (r *Regexp) MatchString(s string) bool {
	if strings.IndexByte(s, 0) >= 0 {
		return false
	}
	cs := C.CString(s)
	defer C.free(unsafe.Pointer(cs))
	ok := C.full_match(r.re, cs, C.size_t(len(s))) != 0
	runtime.KeepAlive(r)
	return ok
}
