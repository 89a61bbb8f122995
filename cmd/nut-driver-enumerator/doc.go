// Command nut-driver-enumerator keeps a driver service per ups.conf section.
package main
