package subdriver

// mgeModel is the family of an MGE or Eaton model (mge-hid.c's
// models_type_t): offline models are below mgeDefault, and the high byte
// is the series.
type mgeModel int

const (
	mgeDefaultOffline mgeModel = 0
	mgePegasus        mgeModel = 0x100
	mge3S             mgeModel = 0x110
	mgeDefault        mgeModel = 0x200 // line-interactive and online models
	mgeEvolution      mgeModel = 0x300
	mgeEvolution650   mgeModel = mgeEvolution + 1
	mgePulsarM        mgeModel = 0x400
	eaton5P           mgeModel = 0x500
)

// Country codes of UPS.PowerSummary.Country.
const (
	countryUnknown   = -1
	countryEurope    = 0
	countryEurope208 = 2 // European models that also run at 200 and 208 V
)

// Advanced Battery Monitoring, as UPS.BatterySystem.Charger.ABMEnable says.
const (
	abmUnknown  = -1
	abmDisabled = 0
)
