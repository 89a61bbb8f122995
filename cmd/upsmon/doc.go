// Command upsmon watches UPSes and shuts the host down when power runs out.
package main
