// Package glibcre is the reference the ere package is tested against:
// glibc's regcomp and regexec with the flags NUT gives them
// (REG_EXTENDED|REG_ICASE, C locale), and NUT's rule that the match must
// cover the whole string. Tests only.
package glibcre
