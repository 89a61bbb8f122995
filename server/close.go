package server

import "net"

// listening counts a listener in (on) or out of those Serve serves, so
// that Close can close it; false once the server is closed.
func (s *Server) listening(l net.Listener, on bool) bool {
	s.clientsMu.Lock()
	defer s.clientsMu.Unlock()
	if !on {
		delete(s.listeners, l)
		return true
	}
	if s.closed {
		return false
	}
	if s.listeners == nil {
		s.listeners = map[net.Listener]struct{}{}
	}
	s.listeners[l] = struct{}{}
	return true
}

// Close stops the server: the listeners given to Serve are closed, every
// client is let go, the event loops and every timer stop, and the
// drivers are no longer followed. It returns once the clients are gone.
func (s *Server) Close() error {
	s.clientsMu.Lock()
	if s.closed {
		s.clientsMu.Unlock()
		return nil
	}
	s.closed = true
	for l := range s.listeners {
		l.Close()
	}
	for c := range s.clients {
		if c.hangUp != nil {
			c.hangUp()
		}
	}
	s.slotFree.Broadcast()
	s.clientsMu.Unlock()
	s.lane.close()

	s.loopsOnce.Do(func() {}) // none start from now on
	if s.loops != nil {
		s.loops.stop()
	}
	s.mu.Lock()
	for _, u := range s.upses {
		if u.stop != nil {
			u.stop()
		}
	}
	s.mu.Unlock()
	s.shrink.stop()

	s.clientsMu.Lock()
	for len(s.clients) > 0 {
		s.slotFree.Wait()
	}
	s.clientsMu.Unlock()
	return nil
}
