// Command upsrw lists and sets a UPS's writable variables.
package main
