// Package freeport finds a TCP port free on the loopback address, for
// programs that start a upsd of their own (the demo, benchmarks, tests).
package freeport
