// Package session is what upscmd and upsrw share: the options that say
// who acts (-u, -p, -w, -t), the connection to the UPS's upsd, the login,
// and the one request that changes the UPS, with its result reported as
// NUT's clients report it.
package session
