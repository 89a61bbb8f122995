// Package control is the USB simulator's control interface: a line
// protocol, on a Unix socket or a TCP port, with which a test changes the
// simulated device as it runs and reads what the host sent it. Each
// command gets its answer's lines, then a last line "OK [text]" or
// "ERR why".
//
//	set feature 0c 0c 32       what GET_REPORT answers from now on (ID byte first)
//	get feature 0c             feature 0c: 0c 32
//	input 16 16 0c 00          send an interrupt report; answers once a host took it
//	log                        the SET_REPORTs received, in order: feature 18: 18 03
//	clear-log                  forget them
//	stall on|off               HID requests stall, interrupt reports wait
//	mute on|off                HID requests get no answer, interrupt reports wait
//	detach                     drop the host's connection: the device is unplugged
//	status                     attached yes|no
package control
