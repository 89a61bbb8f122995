// Package sockproto is the text protocol between a NUT driver and upsd
// (NUT's docs/sock-protocol.txt), both ends of it: the lines a driver
// sends (the changes of its state tree, SETINFO ... DATASTALE, and
// DUMPDONE, PONG, TRACKING, PID), the requests upsd, upsdrvctl or a
// driver's -c send (DUMPALL, PING, SET, INSTCMD, ...), the results a
// driver reports (Result), the reader of either side's lines, and the
// client of a driver's socket.
//
// A change of a state tree is encoded by AppendChange and applied to
// another tree by Apply, so that upsd's copy of a driver's tree follows it.
// Lines are split with gonut/words, exactly as NUT's parseconf does on both
// sides of the socket; values that may hold spaces travel in quotes.
package sockproto
