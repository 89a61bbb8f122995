package upsc_test

import (
	"bufio"
	"net"
	"strings"
	"testing"
)

// scripted serves NUT's protocol from a script, request line to answer
// lines, for answers that no real upsd gives: bytes outside printable
// ASCII, rows too short, ERR in the middle of a list, a server that hangs
// up ("<hang up>" at the end of an answer). A request not in the script
// is ERR UNKNOWN-COMMAND, as an old upsd answers a new request. It
// returns the server's host:port.
func scripted(t *testing.T, script map[string]string) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				sc := bufio.NewScanner(c)
				for sc.Scan() {
					answer, ok := script[sc.Text()]
					switch {
					case sc.Text() == "LOGOUT":
						answer = "OK Goodbye\n"
					case !ok:
						answer = "ERR UNKNOWN-COMMAND\n"
					}
					body, hangUp := strings.CutSuffix(answer, "<hang up>")
					c.Write([]byte(body))
					if hangUp {
						return
					}
				}
			}()
		}
	}()
	return ln.Addr().String()
}
