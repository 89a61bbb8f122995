// Package upsname reads and writes a UPS as NUT's clients and upsmon.conf
// name it: upsname[@hostname[:port]].
package upsname
