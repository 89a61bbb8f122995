// Command driverbench measures a dummy-ups driver side by side with
// Debian's: resident memory once started, and the time to answer DUMPALL
// over the driver socket. Both run on the same device file in the same run,
// and the result is reported as ratios (ours / Debian's).
//
//	go run ./bench/driverbench -ours bin/dummy-ups -dev bench/data/big.dev
package main
