// Package replay plays USB devices for tests: scripted devices (Device,
// with the answers a test gives each request), and devices recorded from
// real ones (Record writes a transcript of what a driver asked and what
// the device said, Load plays it back). A Bus of them is a usb.Bus, so a
// driver's test runs the real usb.Open and usb.Conn over them.
package replay
