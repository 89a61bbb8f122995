// Command nut-driver-enumerator keeps a driver service per ups.conf section.
package main

import (
	"os"

	"gonut/enumerator"
	"gonut/nutenv"
)

func main() {
	os.Exit(enumerator.Main(os.Args[1:], nutenv.OS(), os.Stdout, os.Stderr))
}
