// Package config reads and writes NUT's configuration files: ups.conf,
// upsd.conf, upsd.users, upsmon.conf, upssched.conf and nut.conf.
//
// The first five are tokenized by gonut/words, as NUT's programs tokenize
// them; nut.conf is a shell fragment and is read as a shell reads its plain
// assignments. Each file has a Parse function (from an io.Reader), a Load
// function (from disk) and a Format method that writes the value back as a
// file that parses to the same value.
//
// Every parser returns what it could read together with every problem it
// found (an AT line of upssched.conf keeps its own: see At.Problems),
// never stopping at the first: a bad line or a bad section never drops
// the good ones. Problems are *Error values naming the file and the line. Their Warning field tells the two kinds apart:
//
//   - an error (Warning false) is a line that is malformed or holds a value
//     that cannot be used; the line, or the one setting, is left out (or,
//     where NUT itself is lenient, read as NUT reads it, as documented at
//     each directive). Programs should refuse to start on errors that
//     concern them (see Fatal), except those that must run wherever NUT's
//     would, which refuse only what NUT's refuses (see Unusable);
//   - a warning (Warning true) is a line that is well-formed but has no
//     effect or not quite the effect it seems to ask for: an unknown or
//     obsolete directive, a repeated setting, words dropped by the
//     tokenizer. NUT logs these and goes on, and so should gonut.
//
// Open and read failures are returned as they are (not *Error), and then
// the Load functions return a nil value.
package config
