package state

import (
	"slices"
	"sort"
	"strings"
	"sync"

	"gonut/words"
)

// Flags of a variable, as on the wire (SETFLAGS) and in NUT's extstate.h.
type Flags uint8

const (
	RW        Flags = 1 << iota // writable with SET VAR
	String                      // a string (its Aux is the maximum length)
	Number                      // a number
	Immutable                   // not changed by the driver once set; never sent
)

// Words returns the flags as SETFLAGS lists them.
func (f Flags) Words() []string {
	var w []string
	if f&RW != 0 {
		w = append(w, "RW")
	}
	if f&String != 0 {
		w = append(w, "STRING")
	}
	if f&Number != 0 {
		w = append(w, "NUMBER")
	}
	return w
}

// ParseFlags reads SETFLAGS words; unknown words are ignored as NUT does.
func ParseFlags(words []string) Flags {
	var f Flags
	for _, w := range words {
		switch strings.ToUpper(w) {
		case "RW":
			f |= RW
		case "STRING":
			f |= String
		case "NUMBER":
			f |= Number
		}
	}
	return f
}

// Range is an allowed interval of a numeric variable.
type Range struct{ Min, Max int }

// Var is one variable of the tree.
type Var struct {
	Name   string
	Value  string
	Flags  Flags
	Aux    int64
	Enums  []string
	Ranges []Range
}

func (v *Var) clone() Var {
	c := *v
	c.Enums = append([]string(nil), v.Enums...)
	c.Ranges = append([]Range(nil), v.Ranges...)
	return c
}

// Sink hears of every change of a tree, in order, with the tree locked: it
// must not block and must not call back into the tree.
type Sink interface {
	Changed(c Change)
}

// Tree is a UPS's state. It is safe for concurrent use.
type Tree struct {
	mu    sync.Mutex
	vars  map[string]*Var // by lower-case name
	names []string        // lower-case names, sorted
	cmds  map[string]string
	cmdNs []string // lower-case command names, sorted
	stale bool
	sink  Sink
	cutAt int // LimitValues; 0: values are kept whole
}

// New returns an empty tree whose data is stale until DataOK.
func New() *Tree {
	return &Tree{vars: map[string]*Var{}, cmds: map[string]string{}, stale: true}
}

// SetSink sets who hears of changes (nil: no one).
func (t *Tree) SetSink(s Sink) {
	t.mu.Lock()
	t.sink = s
	t.mu.Unlock()
}

// LimitValues makes the tree keep values and enumerated values as NUT's
// state tree keeps them for clients: the longest start of each that is at
// most n characters once escaped (words.CutEscaped). upsd's copies of
// drivers' trees are so; a driver's own tree keeps values whole.
func (t *Tree) LimitValues(n int) {
	t.mu.Lock()
	t.cutAt = n
	t.mu.Unlock()
}

func (t *Tree) cut(value string) string {
	if t.cutAt > 0 {
		return words.CutEscaped(value, t.cutAt)
	}
	return value
}

func (t *Tree) send(c Change) {
	if t.sink != nil {
		t.sink.Changed(c)
	}
}

func insertSorted(list []string, key string) []string {
	i := sort.SearchStrings(list, key)
	list = append(list, "")
	copy(list[i+1:], list[i:])
	list[i] = key
	return list
}

func removeSorted(list []string, key string) []string {
	i := sort.SearchStrings(list, key)
	if i < len(list) && list[i] == key {
		list = append(list[:i], list[i+1:]...)
	}
	return list
}

// lookup returns the variable, creating it when create is set.
func (t *Tree) lookup(name string, create bool) *Var {
	key := strings.ToLower(name)
	v := t.vars[key]
	if v == nil && create {
		v = &Var{Name: name}
		t.vars[key] = v
		t.names = insertSorted(t.names, key)
	}
	return v
}

// Set gives a variable a value, creating it if needed. It reports whether
// anything changed; an unchanged value sends nothing. An Immutable
// variable keeps its value.
func (t *Tree) Set(name, value string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	value = t.cut(value)
	v := t.lookup(name, false)
	if v != nil && (v.Value == value || v.Flags&Immutable != 0) {
		return false
	}
	v = t.lookup(name, true)
	v.Value = value
	t.send(Change{Op: OpSet, Name: v.Name, Value: value})
	return true
}

// Get returns a variable's value.
func (t *Tree) Get(name string) (string, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if v := t.lookup(name, false); v != nil {
		return v.Value, true
	}
	return "", false
}

// Var returns a copy of a variable with everything known about it.
func (t *Tree) Var(name string) (Var, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if v := t.lookup(name, false); v != nil {
		return v.clone(), true
	}
	return Var{}, false
}

// Delete removes a variable; it reports whether it existed. An
// Immutable variable stays (an override.* of ups.conf outlives the
// driver's deletes, as in NUT).
func (t *Tree) Delete(name string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	key := strings.ToLower(name)
	v := t.vars[key]
	if v == nil || v.Flags&Immutable != 0 {
		return false
	}
	delete(t.vars, key)
	t.names = removeSorted(t.names, key)
	t.send(Change{Op: OpDelete, Name: v.Name})
	return true
}

// SetFlags replaces a variable's flags, but for Immutable, which stays
// once set (NUT drops it when a driver sets flags, and a variable of
// override.* set RW by the driver could then be changed). The variable
// must exist.
func (t *Tree) SetFlags(name string, f Flags) bool {
	if v, ok := t.Var(name); ok {
		f |= v.Flags & Immutable
	}
	return setField(t, name, func(v *Var) *Flags { return &v.Flags }, f, Change{Op: OpSetFlags, Flags: f})
}

// AddFlags adds flags to those a variable has.
func (t *Tree) AddFlags(name string, f Flags) bool {
	if v, ok := t.Var(name); ok {
		return t.SetFlags(name, v.Flags|f)
	}
	return false
}

// SetAux sets a variable's auxiliary value (a string's maximum length).
func (t *Tree) SetAux(name string, aux int64) bool {
	return setField(t, name, func(v *Var) *int64 { return &v.Aux }, aux, Change{Op: OpSetAux, Aux: aux})
}

// setField gives a field of an existing variable a new value, and tells
// the sink c when it changed.
func setField[T comparable](t *Tree, name string, field func(*Var) *T, x T, c Change) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	v := t.lookup(name, false)
	if v == nil || *field(v) == x {
		return false
	}
	*field(v) = x
	c.Name = v.Name
	t.send(c)
	return true
}

// AddEnum adds an allowed value to a variable, once.
func (t *Tree) AddEnum(name, value string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	value = t.cut(value)
	v := t.lookup(name, false)
	return v != nil && listed(t, &v.Enums, value, true, Change{Op: OpAddEnum, Name: v.Name, Value: value})
}

// DelEnum removes an allowed value (cut as AddEnum cut it, so that it is
// found).
func (t *Tree) DelEnum(name, value string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	value = t.cut(value)
	v := t.lookup(name, false)
	return v != nil && listed(t, &v.Enums, value, false, Change{Op: OpDelEnum, Name: v.Name, Value: value})
}

// AddRange adds an allowed interval to a variable, once.
func (t *Tree) AddRange(name string, min, max int) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	v := t.lookup(name, false)
	r := Range{min, max}
	return v != nil && listed(t, &v.Ranges, r, true, Change{Op: OpAddRange, Name: v.Name, Range: r})
}

// DelRange removes an allowed interval.
func (t *Tree) DelRange(name string, min, max int) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	v := t.lookup(name, false)
	r := Range{min, max}
	return v != nil && listed(t, &v.Ranges, r, false, Change{Op: OpDelRange, Name: v.Name, Range: r})
}

// listed adds x to a list once (in), or removes it (!in), and tells the
// sink c when the list changed; the tree is locked.
func listed[T comparable](t *Tree, list *[]T, x T, in bool, c Change) bool {
	i := slices.Index(*list, x)
	switch {
	case in && i < 0:
		*list = append(*list, x)
	case !in && i >= 0:
		*list = slices.Delete(*list, i, i+1)
	default:
		return false
	}
	t.send(c)
	return true
}

// AddCmd declares an instant command.
func (t *Tree) AddCmd(name string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	key := strings.ToLower(name)
	if _, ok := t.cmds[key]; ok {
		return false
	}
	t.cmds[key] = name
	t.cmdNs = insertSorted(t.cmdNs, key)
	t.send(Change{Op: OpAddCmd, Name: name})
	return true
}

// DelCmd withdraws an instant command.
func (t *Tree) DelCmd(name string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	key := strings.ToLower(name)
	n, ok := t.cmds[key]
	if !ok {
		return false
	}
	delete(t.cmds, key)
	t.cmdNs = removeSorted(t.cmdNs, key)
	t.send(Change{Op: OpDelCmd, Name: n})
	return true
}

// HasCmd reports whether an instant command is declared.
func (t *Tree) HasCmd(name string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	_, ok := t.cmds[strings.ToLower(name)]
	return ok
}

// Cmds returns the declared instant commands in order.
func (t *Tree) Cmds() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]string, len(t.cmdNs))
	for i, k := range t.cmdNs {
		out[i] = t.cmds[k]
	}
	return out
}

// Vars returns copies of every variable, in dump order.
func (t *Tree) Vars() []Var {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]Var, len(t.names))
	for i, k := range t.names {
		out[i] = t.vars[k].clone()
	}
	return out
}

// DataOK marks the data usable; servers are told when that changes. It
// reports whether it changed.
func (t *Tree) DataOK() bool { return t.setStale(false, OpDataOK) }

// DataStale marks the data unusable; servers are told when that changes.
// It reports whether it changed.
func (t *Tree) DataStale() bool { return t.setStale(true, OpDataStale) }

func (t *Tree) setStale(stale bool, op Op) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.stale == stale {
		return false
	}
	t.stale = stale
	t.send(Change{Op: op})
	return true
}

// Stale reports whether the data is stale.
func (t *Tree) Stale() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.stale
}

func replayVar(v *Var, each func(Change)) {
	each(Change{Op: OpSet, Name: v.Name, Value: v.Value})
	for _, e := range v.Enums {
		each(Change{Op: OpAddEnum, Name: v.Name, Value: e})
	}
	for _, r := range v.Ranges {
		each(Change{Op: OpAddRange, Name: v.Name, Range: r})
	}
	if v.Aux != 0 {
		each(Change{Op: OpSetAux, Name: v.Name, Aux: v.Aux})
	}
	if v.Flags&^Immutable != 0 {
		each(Change{Op: OpSetFlags, Name: v.Name, Flags: v.Flags})
	}
}

// Replay hands each, in order, the changes that make the tree from
// nothing (name == "") or one variable (else): DataStale first if the
// data is stale, each variable with its enumerations, ranges, auxiliary
// value and flags, the instant commands (whole tree only), and DataOK if
// the data is not stale. Then it calls end. The tree stays locked from the
// first change to the end of end, so that no change can slip between a
// replay and what end does with it (a DUMPALL's answer, queued before any
// later change): neither may block or call back into the tree.
func (t *Tree) Replay(name string, each func(Change), end func()) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.stale {
		each(Change{Op: OpDataStale})
	}
	if name == "" {
		for _, k := range t.names {
			replayVar(t.vars[k], each)
		}
		for _, k := range t.cmdNs {
			each(Change{Op: OpAddCmd, Name: t.cmds[k]})
		}
	} else if v := t.lookup(name, false); v != nil {
		replayVar(v, each)
	}
	if !t.stale {
		each(Change{Op: OpDataOK})
	}
	end()
}
