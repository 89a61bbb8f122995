// Package accept takes connections from a listener the way a daemon that
// must keep serving does: an error of the moment (EMFILE, ENFILE, ENOBUFS,
// ECONNABORTED...) is waited out, not taken as the listener's end. A
// daemon that stopped accepting when it ran out of file descriptors would
// sit deaf with its port open until restarted.
package accept
