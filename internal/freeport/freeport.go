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

// GetUDP returns a UDP port no one has bound at 127.0.0.1 right now.
func GetUDP() (int, error) {
	c, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer c.Close()
	return c.LocalAddr().(*net.UDPAddr).Port, nil
}
