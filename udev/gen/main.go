// Command gen writes gonut's udev rules (udev.FileName) from its drivers'
// USB ID tables: go run ./udev/gen -o udev/62-nut-usbups.rules.
package main

import (
	"flag"
	"fmt"
	"os"

	"gonut/udev"
)

func main() {
	out := flag.String("o", "", "write the rules to this file (default: standard output)")
	flag.Parse()
	text := udev.Rules(udev.Tables(), udev.Pending)
	if *out == "" {
		fmt.Print(text)
		return
	}
	if old, err := os.ReadFile(*out); err == nil && string(old) == text {
		return // unchanged: make does not see a new file
	}
	if err := os.WriteFile(*out, []byte(text), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "udev/gen:", err)
		os.Exit(1)
	}
}
