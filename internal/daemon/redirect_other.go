//go:build !linux

package daemon

import "syscall"

// redirect makes fd newfd a copy of oldfd.
func redirect(oldfd, newfd int) error { return syscall.Dup2(oldfd, newfd) }
