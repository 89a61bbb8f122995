// Command upsdbench measures gonut's upsd side by side with Debian's, in
// one run on one machine: GET VAR requests per second and p99 latency with
// 1, 16 and 64 concurrent clients, and idle connections held (with the
// server's RSS) while a fresh client is still served. Both servers follow
// the same driver. Results are ratios, gonut / Debian.
//
//	go run ./bench/upsdbench -upsd bin/upsd -driver bin/dummy-ups
package main
