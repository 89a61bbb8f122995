package daemon

import "syscall"

// redirect makes fd newfd a copy of oldfd.
func redirect(oldfd, newfd int) error { return syscall.Dup3(oldfd, newfd, 0) }
