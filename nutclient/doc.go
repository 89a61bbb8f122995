// Package nutclient is a client of NUT's network protocol (RFC 9271,
// NUT's docs/net-protocol.txt): what upsc, upsrw, upscmd, upslog, upsmon
// and dummy-ups' repeater mode speak to upsd.
package nutclient
