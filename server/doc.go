// Package server is upsd: it follows every driver of ups.conf over its
// socket and answers NUT's network protocol (RFC 9271, NUT's
// docs/net-protocol.txt) to clients such as upsc and upsmon.
package server
