// Command upsmonbench measures how fast upsmon learns of a power failure
// and of the power's return, at default settings (POLLFREQ 5), gonut's
// upsmon on gonut's upsd against Debian's upsmon on Debian's upsd, both
// servers following the same driver, in one run. Needs root (Debian's
// upsmon gets a private /run/nut).
//
//	go run ./bench/upsmonbench -bin bin -out bench/results/upsmon.md
package main
