// Package upsdrvctl is NUT's upsdrvctl: it starts, stops and shuts down
// the drivers of ups.conf, and passes commands to running ones.
package upsdrvctl
