package cli

import (
	"io"
	"os"
	"path/filepath"

	"gonut/nutenv"
)

// Stdio is a program's standard input, output and error.
type Stdio struct {
	In       io.Reader
	Out, Err io.Writer
}

// OS is this process's standard streams.
func OS() Stdio { return Stdio{In: os.Stdin, Out: os.Stdout, Err: os.Stderr} }

// Main is a program: it returns its exit code.
type Main func(args []string, env nutenv.Env, std Stdio) int

// Run runs a program as this process's main, and exits with its code.
func Run(m Main) { os.Exit(m(os.Args, nutenv.OS(), OS())) }

// Called is args[0] whole, as it was run (some of NUT's programs print
// it so in their help), or def when there is none.
func Called(args []string, def string) string {
	if len(args) == 0 || args[0] == "" {
		return def
	}
	return args[0]
}

// Name is the name a program was called by (the base of args[0], as
// NUT's programs print it), or def when there is none.
func Name(args []string, def string) string {
	if len(args) == 0 || args[0] == "" {
		return def
	}
	return filepath.Base(args[0])
}

// Args are the arguments after the program's name.
func Args(args []string) []string {
	if len(args) == 0 {
		return nil
	}
	return args[1:]
}
