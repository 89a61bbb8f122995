package mib

import (
	"strings"

	"gonut/state"
)

// Flags are a row's snmp-ups flags (NUT's SU_* bits, the same values).
type Flags uint32

const (
	OK          Flags = 1 << 0 // shown (the driver clears it when the device lacks the OID)
	Static      Flags = 1 << 1 // read once, at start
	Absent      Flags = 1 << 2 // not on the device: the default value is published
	Stale       Flags = 1 << 3 // the driver's: the last read failed
	NegInvalid  Flags = 1 << 4 // a negative value means "not available"
	Unique      Flags = 1 << 5 // once read, other rows of the variable are dropped
	ZeroInvalid Flags = 1 << 6 // 0 means "not available"
	NAInvalid   Flags = 1 << 7 // "N/A" means "not available"
	CmdOffset   Flags = 1 << 8 // the command's OID index is one more than the data's
	SemiStatic  Flags = 1 << 9 // read once every semistaticfreq polls

	OutletGroup Flags = 1 << 10 // outlet group template (outlet.group.%i.*)
	Outlet      Flags = 1 << 11 // outlet template (outlet.%i.*)

	Input1  Flags = 1 << 12 // only with 1 input phase
	Input3  Flags = 1 << 13 // only with 3 input phases
	Output1 Flags = 1 << 14
	Output3 Flags = 1 << 15
	Bypass1 Flags = 1 << 16
	Bypass3 Flags = 1 << 17

	TypeInt  Flags = 1 << 18 // SET as an integer
	TypeTime Flags = 1 << 19 // SET as TimeTicks (seconds x 100)
	TypeCmd  Flags = 1 << 20 // an instant command

	Daisy1          Flags = 1 << 21 // the daisy-chain index is the template's first %i
	Daisy2          Flags = 1 << 22 // ...its second
	Daisy           Flags = 1 << 23 // daisy-chain template (set at run time in NUT)
	DaisyMasterOnly Flags = 1 << 24 // only for the chain's master (device.1)

	AmbientTemplate Flags = 1 << 26 // ambient sensor template (ambient.%i.*)

	StatusPwr  Flags = 1 << 28 // power status element of ups.status
	StatusBatt Flags = 1 << 29 // battery status element
	StatusCal  Flags = 1 << 30 // calibration status element
	StatusRB   Flags = 1 << 31 // replace battery element

	Phases    = Input1 | Input3 | Output1 | Output3 | Bypass1 | Bypass3
	TypeMask  = TypeInt | TypeTime | TypeCmd
	Templates = Outlet | OutletGroup | AmbientTemplate
)

// Func names a conversion that NUT does in C rather than with a table.
type Func uint8

const (
	FuncNone Func = iota
	// FuncUSDateToISO reads mm/dd/yyyy and gives yyyy-mm-dd.
	FuncUSDateToISO
	// FuncTemperatureUnit remembers the unit of the sensors' readings
	// (0 kelvin, 1 celsius, 2 fahrenheit) and always shows "celsius".
	FuncTemperatureUnit
	// FuncTemperatureRead converts a sensor's reading (tenths, in the
	// remembered unit) to whole degrees Celsius.
	FuncTemperatureRead
	// FuncDeviceCount counts the devices of a comma-separated list
	// ("0,3,4" is 3): a daisy chain's device.count.
	FuncDeviceCount
)

// LookupEntry maps one SNMP value to NUT's text.
type LookupEntry struct {
	Value int64
	Text  string
}

// Lookup is a table of values (NUT's info_lkp_t), or a conversion.
type Lookup struct {
	Name    string // NUT's name of the table, for messages
	Entries []LookupEntry
	Func    Func
}

// Row is one row of a mapping (NUT's snmp_info_t).
type Row struct {
	Var  string      // NUT variable or command; outlet.%i.* for templates
	Info state.Flags // state.RW, state.String
	// Len is the maximum length of a string, or the multiplier of a
	// number (0.1: the device counts tenths).
	Len        float64
	OID        string // "" for a value the driver holds itself
	Default    string
	HasDefault bool
	Flags      Flags
	Lookup     *Lookup
}

// Alarm is an entry of a MIB's alarm table: when OID is listed under
// the row ups.alarms, the status and alarm given are set.
type Alarm struct {
	OID, Status, Alarm string
}

// Mapping is a MIB's table (NUT's mib2nut_info_t).
type Mapping struct {
	Name    string // the mibs option's value
	Version string
	// PowerStatusOID is NUT's oid_pwr_status (unused by 2.8.0's walk).
	PowerStatusOID string
	// AutoCheckOID is read to tell whether a device has the MIB.
	AutoCheckOID string
	SysOID       string // the sysObjectID that picks this table
	Rows         []Row
	Alarms       []Alarm
}

// Cmd reports whether a row is an instant command.
func (r *Row) Cmd() bool { return r.Flags&TypeMask == TypeCmd }

// Find returns the first row of a variable (any case), or nil.
func (m *Mapping) Find(name string) *Row {
	for i := range m.Rows {
		if strings.EqualFold(m.Rows[i].Var, name) {
			return &m.Rows[i]
		}
	}
	return nil
}

// ByName returns the mappings called name (several share a name, with
// different sysObjectIDs), in NUT's order.
func ByName(name string) []*Mapping {
	var out []*Mapping
	for _, m := range All {
		if m.Name == name {
			out = append(out, m)
		}
	}
	return out
}
