// Package state is the state tree of a UPS, which a driver keeps and upsd
// copies (NUT's common/state.c): the variables (with their flags,
// auxiliary length, enumerations and ranges), the instant commands, and
// whether the data is stale.
//
// Every change is handed to the tree's Sink as a Change (a driver's socket
// server turns it into the line that tells upsd), and a Change can be
// applied to a tree (upsd applies what a driver tells). Replay gives the
// changes that make a whole tree. Names are compared without regard to
// case and kept in that order, as NUT does.
package state
