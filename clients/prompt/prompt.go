package prompt

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"strings"

	"golang.org/x/sys/unix"
)

// Username prints "Username (login): " to out and reads a line from in;
// an empty line means the login name. When in ends before a line, the
// login name comes with io.EOF: NUT's upsrw takes it, its upscmd fails.
func Username(in *bufio.Reader, out io.Writer) (string, error) {
	login := ""
	if u, err := user.Current(); err == nil {
		login = u.Username
	}
	if login != "" {
		fmt.Fprintf(out, "Username (%s): ", login)
	} else {
		fmt.Fprint(out, "Username: ")
	}
	line, err := in.ReadString('\n')
	got := line != ""
	line = strings.TrimSuffix(line, "\n")
	if line != "" {
		return line, nil
	}
	if err != nil && err != io.EOF {
		return "", err
	}
	if login == "" {
		return "", errors.New("No username available - even tried getpwuid")
	}
	if !got {
		return login, io.EOF
	}
	return login, nil
}

// Password asks on the controlling terminal with echo off, as getpass(3)
// does; without a terminal it asks on errOut (where glibc's getpass
// writes) and reads a line from in, the end of in being an empty password.
func Password(in *bufio.Reader, errOut io.Writer) (string, error) {
	tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		fmt.Fprint(errOut, "Password: ")
		line, err := in.ReadString('\n')
		if err != nil && err != io.EOF {
			return "", fmt.Errorf("getpass failed: %v", err)
		}
		return strings.TrimSuffix(line, "\n"), nil
	}
	defer tty.Close()
	fd := int(tty.Fd())
	fmt.Fprint(tty, "Password: ")
	if old, err := unix.IoctlGetTermios(fd, getTermios); err == nil {
		quiet := *old
		quiet.Lflag &^= unix.ECHO
		unix.IoctlSetTermios(fd, setTermios, &quiet)
		defer func() {
			unix.IoctlSetTermios(fd, setTermios, old)
			fmt.Fprintln(tty)
		}()
	}
	line, err := bufio.NewReader(tty).ReadString('\n')
	if err != nil && line == "" {
		return "", fmt.Errorf("getpass failed: %v", err)
	}
	return strings.TrimSuffix(line, "\n"), nil
}
