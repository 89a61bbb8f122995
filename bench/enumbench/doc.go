// Command enumbench times gonut's nut-driver-enumerator against Debian's
// nut-driver-enumerator.sh in the same Debian guest under a real systemd
// (test/vm), on a ups.conf of 100 sections. Needs root (the VM harness).
//
//	go run ./bench/enumbench -out bench/results/enumerator.md
package main
