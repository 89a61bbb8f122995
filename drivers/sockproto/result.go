package sockproto

// Result is what a SET or INSTCMD came to: what a driver reports in
// TRACKING (NUT's STAT_INSTCMD_* codes), and what upsd's GET TRACKING
// shows.
type Result int

const (
	// Pending is upsd's own: the driver has not answered yet. It never
	// travels on the driver socket.
	Pending          Result = -1
	Handled          Result = 0 // done
	Unknown          Result = 1 // not known to the driver, or unspecified error
	Invalid          Result = 2 // not valid now (or the variable is read-only)
	Failed           Result = 3 // the device refused or did not answer
	ConversionFailed Result = 4 // the value could not be converted
)

// Tracking is how upsd's GET TRACKING shows the result, as NUT's upsd does
// (a conversion failure is an unknown error there).
func (r Result) Tracking() string {
	switch r {
	case Pending:
		return "PENDING"
	case Handled:
		return "SUCCESS"
	case Invalid:
		return "ERR INVALID-ARGUMENT"
	case Failed:
		return "ERR FAILED"
	}
	return "ERR UNKNOWN"
}
