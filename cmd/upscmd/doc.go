// Command upscmd runs instant commands on a UPS.
package main
