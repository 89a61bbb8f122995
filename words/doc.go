// Package words splits text into lines of words the way every NUT program
// does: configuration files, the network protocol and the driver socket all
// go through one state machine (NUT's parseconf), and so does this package.
//
// The rules, as NUT applies them:
//   - words are separated by white space; a newline ends the line;
//   - '#' outside quotes starts a comment that runs to the end of the line;
//   - "double quotes" make one word of everything up to the closing quote,
//     white space, '=' and newlines included (a quoted newline is dropped);
//     an empty "" is an empty word;
//   - a backslash takes the next character literally, inside quotes or not;
//     a backslash before a newline joins the next physical line to this one
//     (where that happens between words, NUT also makes an empty word, which
//     no one means; this package does not);
//   - '=' is a word of its own unless it is quoted or escaped, so "a=b",
//     "a = b" and "a= b" all give the three words a, =, b;
//   - a '"' in the middle of an unquoted word is an ordinary character;
//   - characters outside printable ASCII (0x20 to 0x7f) are dropped;
//   - a word stops growing at 512 characters and a line at 32 words: the
//     rest is dropped (both limits are configurable).
//
// Where NUT is silent about what it drops, this package reports it as a
// warning so callers can name the file and line.
package words
