// Command upsdrvsvcctl controls NUT drivers through their service units.
package main
