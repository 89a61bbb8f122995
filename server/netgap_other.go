//go:build !linux

package server

import "runtime"

// netGap yields the processor (on Linux, it waits for the scheduler to
// poll the network: netgap_linux.go).
type netGap struct{}

func newNetGap() *netGap { return &netGap{} }

func (*netGap) pass() { runtime.Gosched() }

func (*netGap) close() {}
