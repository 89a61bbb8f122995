// Package nuttls upgrades a NUT client connection to TLS (STARTTLS). It is
// apart from nutclient so that a program that never asks for TLS (a
// dummy-ups repeater) does not link crypto/tls and its certificate code.
package nuttls

import (
	"context"
	"crypto/tls"
	"net"

	"gonut/nutclient"
)

// StartTLS sends STARTTLS and shakes hands as a TLS client with conf.
func StartTLS(ctx context.Context, c *nutclient.Client, conf *tls.Config) error {
	return c.Upgrade(ctx, func(ctx context.Context, conn net.Conn) (net.Conn, error) {
		tc := tls.Client(conn, conf)
		if err := tc.HandshakeContext(ctx); err != nil {
			return nil, err
		}
		return tc, nil
	})
}

// Dial connects to upsd at addr (as nutclient.Dial) and starts TLS at once.
func Dial(ctx context.Context, addr string, opts nutclient.Options, conf *tls.Config) (*nutclient.Client, error) {
	c, err := nutclient.Dial(ctx, addr, opts)
	if err != nil {
		return nil, err
	}
	if err := StartTLS(ctx, c, conf); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}
