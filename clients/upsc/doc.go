// Package upsc is NUT's upsc: it shows a UPS's variables, the UPSes of a
// upsd, or the clients logged in to one, as text or (-j) as NUT master's
// JSON.
package upsc
