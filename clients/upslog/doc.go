// Package upslog is NUT's upslog: it writes a line about a UPS, in a
// format of the user's, to a file or standard output at each interval.
package upslog
