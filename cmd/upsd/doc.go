// Command upsd is NUT's network server.
package main
