package qx

// protoState is what a subdriver keeps between its items and polls (NUT's
// subdrivers keep it in static variables), set afresh at each start.
type protoState struct {
	// BestUPS
	invertedBBB bool // a Patriot Pro's bypass/boost/buck bit is inverted
	pinsMode    int  // pins_shutdown_mode as the UPS last said
	// Ablerex: battery voltage and cut-off voltage from Q5 (hundredths
	// of a cell's 12 V; 0 when not known)
	q5Vb, q5Vbc int
	// Voltronic: batteries per pack as the UPS last said
	battNumber  int
	caps        map[string]string  // the capabilities no NUT variable has, as the UPS last said
	workRange   int                // P31's working range (its index), as the UPS last said
	outputAngle int                // the output's phase angle, as the UPS last said
	ecoVolt     map[string]bool    // the ECO voltage limits whose ranges are known
	bypass      map[string]float64 // the bypass limits, as the UPS last said
}

func newProtoState() protoState {
	return protoState{caps: map[string]string{}, ecoVolt: map[string]bool{}, bypass: map[string]float64{}}
}
