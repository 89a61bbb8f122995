// Package serial is the serial line a serial driver talks over: a Port
// (what the driver needs of a line: write, read with a deadline, discard
// what is pending, the modem-control lines), opened on a real tty with
// go.bug.st/serial as NUT's drivers/serial.c opens one (raw, 8N1, no flow
// control, locked against a second driver), and Replay, a Port that plays
// a recorded conversation back, for tests that need no line at all.
// serialtest gives tests a real line: a PTY pair, the driver on one end
// and a simulated device on the other.
package serial
