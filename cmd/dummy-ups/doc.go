// Command dummy-ups is NUT's simulation and repeater driver.
package main
