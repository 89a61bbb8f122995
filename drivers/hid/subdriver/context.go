package subdriver

// Context is what a conversion, or a subdriver's naming of its device,
// may need from the device and from what the driver has published of it
// so far. The driver gives one per device.
type Context interface {
	// String is the USB string descriptor of index i.
	String(i int) (string, error)
	// Value is the value of the Feature field at path (a path in the
	// subdriver's usage names), read from the device.
	Value(path string) (float64, bool)
	// Report is the last copy of report id read from the device, report
	// ID first; nil if none was read.
	Report(id uint8) []byte
	// Var is the value of a NUT variable the driver publishes, if set.
	Var(name string) (string, bool)
	// Delete withdraws a variable the driver publishes (MGE's charger
	// state once its battery monitoring is turned off).
	Delete(name string)
	// Status says whether a status flag of the BOOL rows ("off",
	// "online", as their lookups name them) is set so far.
	Status(flag string) bool
	// State is what the device's conversions remember.
	State() *State
}

// State is what a device's conversions decide as its values are read,
// and remember for the values read later: a scale found from a first
// reading, a model's family, a setting another row depends on. NUT keeps
// these in static variables of each subdriver; here each device has its
// own, from NewState.
type State struct {
	dev Device

	// CyberPower: the battery voltage scale, 0 until decided.
	cpsBatteryScale float64

	// MGE: the model's family (from its name), the country code
	// (UPS.PowerSummary.Country), whether Advanced Battery Monitoring
	// is on, and the first nominal output voltage read.
	mgeType     mgeModel
	mgeCountry  int
	mgeABM      int
	mgeNominal  int64
	mgeNominalK bool

	// Belkin's Liebert units: multipliers found from a value of 1e-7.
	liebertConfigMult, liebertLineMult float64
}

// NewState is the state of a device that has not been read yet.
func NewState(dev Device) *State {
	return &State{
		dev:               dev,
		mgeType:           mgeDefault,
		mgeCountry:        countryUnknown,
		mgeABM:            abmUnknown,
		liebertConfigMult: 1,
		liebertLineMult:   1,
	}
}

// Device is the device the state is of.
func (s *State) Device() Device { return s.dev }
