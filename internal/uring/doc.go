// Package uring is the part of Linux's io_uring that upsd's event loop
// needs: one ring, sends and receives on sockets, waits for a pipe.
// A ring batches the system calls of many connections into one
// io_uring_enter(2).
//
// A Ring is made with IORING_SETUP_SINGLE_ISSUER and DEFER_TASKRUN
// (Linux 6.1): every call on it must come from the thread that made it,
// so its user locks its goroutine to its thread (runtime.LockOSThread).
package uring
