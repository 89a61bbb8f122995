// Command driverbench measures a dummy-ups driver side by side with
// Debian's: resident memory once started, and the time to answer DUMPALL
// over the driver socket. Both run on the same device file in the same run,
// and the result is reported as ratios (ours / Debian's). Then it starts
// -drivers copies of each (default 40) side by side on the same device
// file, with as many copies of a Go hello-world that sleeps (the Go
// runtime's floor), and reports each one's RSS, PSS and threads.
//
//	go run ./bench/driverbench -ours bin/dummy-ups -dev bench/data/big.dev
package main
