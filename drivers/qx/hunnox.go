package qx

// Hunnox (NUT's nutdrv_qx_hunnox.c): Zinto's table, but every value of
// the status line is read at each poll, the delays start at 0 s and 60 s,
// and a command done is answered "UPS No Ack".
func hunnoxTable() []item {
	t := blazerTable("Q1\r", "FW?\r", true)
	for i := range t {
		it := &t[i]
		switch {
		case it.cmd == "Q1\r" && it.value == nil:
			it.flags |= fQuickPoll
		case it.name == "ups.delay.start":
			it.dfl = "0"
		case it.name == "ups.delay.shutdown":
			it.dfl = "60"
		}
	}
	return t
}
