// Package cli is the one shape of every gonut program's main: its
// arguments (the program's name first, as in os.Args), the environment
// NUT's variables come from, and its standard streams. A program runs
// the same from a test as from its command.
package cli
