package freeport

import "net"

// Get returns a port no one listens on at 127.0.0.1 right now.
func Get() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Must is Get for programs that cannot go on without one.
func Must() int {
	p, err := Get()
	if err != nil {
		panic(err)
	}
	return p
}
