//go:build !linux

package server

import "net"

// Without Linux's io_uring every client has a goroutine of its own.
type loops struct{}

func startLoops(*Server) *loops { return nil }

func (*loops) adopt(*client, net.Conn) bool { return false }

func (*loops) stop() {}
