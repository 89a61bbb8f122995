package dummyups

import (
	"strings"
	"sync"

	"gonut/drivers/core"
	"gonut/drivers/dstate"
	"gonut/state"
)

// vars applies values to the tree the way NUT's dummy-ups does, whether
// they come from a device file, from SET VAR or from the upsd it repeats.
type vars struct {
	// mu is held by whoever applies values: an Update (which may run
	// while the core answers a SET) or a SET.
	mu     sync.Mutex
	tree   *state.Tree
	known  map[string]known
	status dstate.Status
}

func newVars(tree *state.Tree) *vars {
	v := &vars{tree: tree, known: map[string]known{}}
	for _, k := range knownVars() {
		v.known[strings.ToLower(k.name)] = k
	}
	return v
}

// showDefaults declares the variables dummy-ups shows before reading
// anything (ups.mfr, ups.model, ups.status).
func (v *vars) showDefaults() {
	for _, k := range knownVars() {
		if k.initial == "" {
			continue
		}
		v.tree.Set(k.name, k.initial)
		v.declare(k.name)
	}
}

// declare gives a variable its flags: those of the table, or a writable
// string of 32 characters.
func (v *vars) declare(name string) {
	k, ok := v.known[strings.ToLower(name)]
	if !ok {
		k = known{flags: state.RW | state.String, aux: 32}
	}
	v.tree.SetFlags(name, k.flags)
	if k.flags&state.String != 0 {
		v.tree.SetAux(name, k.aux)
	}
}

// set is dummy-ups' SET (mu held): ups.status is rebuilt from its tokens, an empty
// value removes the variable, anything else is stored and declared.
func (v *vars) set(name, value string) core.Result {
	if strings.HasPrefix(name, "ups.status") {
		v.status.Reset()
		v.status.Set(value)
		v.status.Commit(v.tree)
		return core.Handled
	}
	if value == "" {
		v.tree.Delete(name)
		return core.Handled
	}
	v.tree.Set(name, value)
	v.declare(name)
	return core.Handled
}
