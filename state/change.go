package state

// Op is what a Change does.
type Op uint8

const (
	OpSet       Op = iota + 1 // Name gets Value (created if needed)
	OpDelete                  // Name is removed
	OpAddEnum                 // Name allows Value
	OpDelEnum                 // Name no longer allows Value
	OpAddRange                // Name allows Range
	OpDelRange                // Name no longer allows Range
	OpSetAux                  // Name's auxiliary value is Aux
	OpSetFlags                // Name's flags are Flags
	OpAddCmd                  // the instant command Name is supported
	OpDelCmd                  // the instant command Name is withdrawn
	OpDataOK                  // the data is usable
	OpDataStale               // the data is stale
)

// Change is one change of a tree: what its Sink hears, and what Apply
// makes. Only the fields its Op names are used.
type Change struct {
	Op    Op
	Name  string // a variable or an instant command, as the tree spells it
	Value string
	Range Range
	Aux   int64
	Flags Flags
}

// Apply makes a change, as the setter of its kind would, and reports
// whether the tree changed.
func (t *Tree) Apply(c *Change) bool {
	switch c.Op {
	case OpSet:
		return t.Set(c.Name, c.Value)
	case OpDelete:
		return t.Delete(c.Name)
	case OpAddEnum:
		return t.AddEnum(c.Name, c.Value)
	case OpDelEnum:
		return t.DelEnum(c.Name, c.Value)
	case OpAddRange:
		return t.AddRange(c.Name, c.Range.Min, c.Range.Max)
	case OpDelRange:
		return t.DelRange(c.Name, c.Range.Min, c.Range.Max)
	case OpSetAux:
		return t.SetAux(c.Name, c.Aux)
	case OpSetFlags:
		return t.SetFlags(c.Name, c.Flags)
	case OpAddCmd:
		return t.AddCmd(c.Name)
	case OpDelCmd:
		return t.DelCmd(c.Name)
	case OpDataOK:
		return t.DataOK()
	case OpDataStale:
		return t.DataStale()
	}
	return false
}
