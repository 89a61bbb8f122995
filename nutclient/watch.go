package nutclient

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"time"

	"gonut/words"
)

// Watch is gonut's WATCH feed of one UPS (docs/protocol-notes.md): C
// receives a value whenever upsd says the UPS changed; notices not yet
// taken are merged into one. NUT's upsd refuses WATCH, and Watch returns
// its error: poll instead.
type Watch struct {
	C    <-chan struct{}
	conn net.Conn
}

// DialWatch opens the feed on a connection of its own to upsd at addr.
func DialWatch(ctx context.Context, addr, ups string) (*Watch, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	r := bufio.NewReader(conn)
	if _, err := conn.Write([]byte("WATCH " + words.Word(ups) + "\n")); err != nil {
		conn.Close()
		return nil, err
	}
	if line, err := r.ReadSlice('\n'); err != nil || string(line) != "OK\n" {
		conn.Close()
		if err == nil {
			err = fmt.Errorf("WATCH %s: %q", ups, line)
		}
		return nil, err
	}
	conn.SetDeadline(time.Time{})
	c := make(chan struct{}, 1)
	go func() {
		for {
			// ReadSlice holds at most the reader's buffer: an endless
			// line from the server costs no memory, only a wake-up.
			if _, err := r.ReadSlice('\n'); err != nil && err != bufio.ErrBufferFull {
				return
			}
			select {
			case c <- struct{}{}:
			default:
			}
		}
	}()
	return &Watch{C: c, conn: conn}, nil
}

// Close ends the feed.
func (w *Watch) Close() error { return w.conn.Close() }
