// Package nuttest runs throwaway NUT installations for tests: config files
// in a temporary directory, drivers (Debian's or ours), Debian's upsd on a
// free loopback port, and NUT's clients against them.
package nuttest
