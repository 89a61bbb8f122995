// Command upsc shows UPS variables.
package main
