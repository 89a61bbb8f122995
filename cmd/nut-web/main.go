package main

import (
	"gonut/internal/cli"
	"gonut/web"
)

func main() { cli.Run(web.Main) }
