// Command upslog logs a UPS's state at intervals.
package main
