package server

import "sync"

// lane gives turns, one connection at a time, to the goroutines that
// answer more than the first request of what a client sent (a client
// that sends many at a time), and makes Go's scheduler look at the
// network between two turns. Without that, goroutines that hand each
// other the CPU keep it from ever polling the network (it does when it
// runs out of goroutines to run, or every 10 ms): a poller asking now and
// then would wait behind every flooding client.
type lane struct {
	grant chan struct{} // a turn, from run
	done  chan struct{} // the turn ended
	stop  chan struct{} // closed by close: turns are free for all
	gap   *netGap
	once  sync.Once
}

func newLane() *lane {
	return &lane{grant: make(chan struct{}), done: make(chan struct{}), stop: make(chan struct{})}
}

// start starts giving turns; a lane not yet started gives none.
func (l *lane) start() {
	l.once.Do(func() {
		l.gap = newNetGap()
		go l.run()
	})
}

// acquire waits for a turn.
func (l *lane) acquire() { <-l.grant }

// release ends a turn.
func (l *lane) release() {
	select {
	case l.done <- struct{}{}:
	case <-l.stop:
	}
}

// close frees the turns for good (the server is closing).
func (l *lane) close() {
	l.once.Do(func() {}) // never starts now
	select {
	case <-l.stop:
	default:
		close(l.stop)
		if l.gap == nil {
			close(l.grant)
		}
	}
}

func (l *lane) run() {
	defer close(l.grant)
	defer l.gap.close()
	for {
		select {
		case l.grant <- struct{}{}:
		case <-l.stop:
			return
		}
		select {
		case <-l.done:
		case <-l.stop:
			return
		}
		l.gap.pass()
	}
}
