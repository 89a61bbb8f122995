// Package ere reads the regular expressions of NUT's USB matching options
// (vendorid, product, serial, ...) as NUT does, for Go's regexp package.
//
// NUT compiles them with regcomp(REG_EXTENDED|REG_ICASE), and its drivers
// never call setlocale, so glibc reads them as POSIX extended regular
// expressions (with GNU's \w \W \s \S \b \B \` \' escapes) in the C locale,
// without regard to case, and a device's string matches only when the whole
// of it does. The strings are ASCII: libusb reads USB string descriptors
// with every non-ASCII character replaced by '?'.
//
// Compile translates such an expression into Go's syntax, keeping glibc's
// meaning: stacked repetitions (a+?, a{2}{3}) repeat the repetition instead
// of becoming lazy, bracket expressions take backslash literally and follow
// glibc's case-folding rules for ranges, a{,n} means a{0,n}, an unmatched )
// is a literal. What glibc refuses, Compile refuses with glibc's own words.
// What Go cannot match the same way (back-references, \< and \>, escapes
// such as \d or \t that glibc does not read as their authors meant,
// non-ASCII characters, repetition counts above 1000) is refused too, with
// an error that says why, rather than matched differently.
package ere
