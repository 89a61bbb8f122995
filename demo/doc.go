// Command demo runs a simulated UPS stack through a power failure, on an
// ordinary machine, without root and without systemd: dummy-ups plays a
// UPS going from line power to battery to low battery, upsd serves it on
// a free local port, and upsmon watches it and shuts the host down (with
// a SHUTDOWNCMD that only prints). It tells the story as it happens and
// ends by itself.
//
//	make demo    (or: go run ./demo -bin bin)
package main
