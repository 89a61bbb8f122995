package core

// Deliver hands the core an event: something the device said by itself
// (a USB interrupt report, a serial line's alert character) that must not
// wait for the next Update. The core runs apply on its loop, in the order
// delivered, at once, even while an Update waits on the device; what
// apply sets in the tree reaches the driver socket as it is set.
//
// Call it from the driver's own goroutines (Listen makes one). It waits
// only while many events wait for the loop, and returns false, without
// running apply, once the driver is stopping.
func (d *Device) Deliver(apply func(dev *Device)) bool {
	select {
	case <-d.stopped:
		return false
	default:
	}
	select {
	case d.events <- apply:
		return true
	case <-d.stopped:
		return false
	}
}

// Listen delivers each value a source sends as an event (apply runs on the
// core's loop, as with Deliver) until the source is closed or the driver
// stops. It is how a device transport's unsolicited input (interrupt
// reports, alert characters) reaches the state tree.
func Listen[T any](dev *Device, src <-chan T, apply func(dev *Device, v T)) {
	go func() {
		for {
			select {
			case v, ok := <-src:
				if !ok || !dev.Deliver(func(dev *Device) { apply(dev, v) }) {
					return
				}
			case <-dev.stopped:
				return
			}
		}
	}()
}

// PollNow asks for an Update as soon as possible: at once, or right after
// the one running. The poll interval counts from there. An alert that the
// UPS went on battery, say, is followed by a full read of the device.
func (d *Device) PollNow() {
	select {
	case d.poll <- struct{}{}:
	default:
	}
}

// halt ends deliveries: events not yet run are dropped, and Deliver
// returns false from now on.
func (d *Device) halt() { d.stop.Do(func() { close(d.stopped) }) }
