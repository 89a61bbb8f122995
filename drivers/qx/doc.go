// Package qx is nutdrv_qx: the Q1/Megatec family of serial UPS
// protocols, as NUT 2.8.0 speaks them. A subdriver is a table of items
// (item.go): each names a request, where its value sits in the answer and
// how it becomes a NUT variable, a status bit or an instant command; the
// walks over the table (walk.go) are NUT's: everything once at start,
// then the status alone at each poll and everything every pollfreq.
// Subdrivers are tried in NUT's autodetection order (subdrivers.go) unless
// ups.conf names a protocol. battery.go guesses battery.charge and
// battery.runtime from the battery voltage and runtimecal as NUT does.
package qx
