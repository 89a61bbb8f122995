package process

import (
	"os"
	"strconv"
	"syscall"
)

// CloseOnExecInherited marks every descriptor above standard error
// close-on-exec, so that the programs this process starts get its
// standard input, output and error (and exec.Cmd.ExtraFiles) but nothing
// it inherited itself. Those Go opens are close-on-exec already.
func CloseOnExecInherited() {
	ents, err := os.ReadDir("/dev/fd")
	if err != nil {
		return
	}
	for _, e := range ents {
		if n, err := strconv.Atoi(e.Name()); err == nil && n > 2 {
			syscall.CloseOnExec(n)
		}
	}
}
