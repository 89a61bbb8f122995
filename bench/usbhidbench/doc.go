// Command usbhidbench measures gonut's usbhid-ups against Debian's NUT
// 2.8.0 usbhid-ups in the test guest (test/vm), both reading the same
// simulated APC Back-UPS XS 1400U (test/usbsim over USB/IP) through
// gonut's upsd, with NUT's default pollinterval of 2 s:
//
//   - mains lost, as a real UPS says it: its feature reports change and
//     it sends an interrupt report; and, separately, as a UPS that sends
//     no interrupt report (the feature reports alone): the time until a
//     client polling upsd sees OB, median and p90;
//   - each driver's resident memory and CPU time over a minute idle.
//
// It builds what the guest needs, boots it once and runs itself there
// with -guest. Needs root (the VM harness) and Debian's nut-server
// (/lib/nut/usbhid-ups).
//
//	go run ./bench/usbhidbench -out bench/results/usbhid-ups.md
package main
