// Package nutenv holds the places NUT's programs look for things, and the
// environment variables that move them, with Debian's defaults.
package nutenv
