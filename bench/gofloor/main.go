// Command gofloor is the Go runtime's memory floor: a hello-world that
// prints one line and then sleeps, built with the same toolchain as
// gonut's programs. driverbench starts copies of it beside the drivers.
package main

import (
	"fmt"
	"time"
)

func main() {
	fmt.Println("hello")
	for {
		time.Sleep(time.Hour)
	}
}
