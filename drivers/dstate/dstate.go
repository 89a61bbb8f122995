// Package dstate is a driver's state tree: the variables it knows (with
// their flags, auxiliary length, enumerations and ranges), the instant
// commands it supports, and whether its data is stale.
//
// Every change is also rendered as the driver-socket line that tells
// connected servers about it (NUT's docs/sock-protocol.txt), and handed to
// a Sink. Dump renders the whole tree as the answer to DUMPALL. Names are
// compared without regard to case and dumped in that order, as NUT does.
package dstate

import (
	"sort"
	"strings"
	"sync"

	"gonut/drivers/sockproto"
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

// Sink receives the protocol line of every change, in order. It must not
// block and must not call back into the tree.
type Sink interface {
	Broadcast(line string)
}

// Tree is a driver's state. It is safe for concurrent use.
type Tree struct {
	mu    sync.Mutex
	vars  map[string]*Var // by lower-case name
	names []string        // lower-case names, sorted
	cmds  map[string]string
	cmdNs []string // lower-case command names, sorted
	stale bool
	sink  Sink
}

// New returns an empty tree whose data is stale until DataOK.
func New() *Tree {
	return &Tree{vars: map[string]*Var{}, cmds: map[string]string{}, stale: true}
}

// SetSink sets where change lines go (nil: nowhere).
func (t *Tree) SetSink(s Sink) {
	t.mu.Lock()
	t.sink = s
	t.mu.Unlock()
}

func (t *Tree) send(m sockproto.Message) {
	if t.sink != nil {
		t.sink.Broadcast(m.Encode())
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
	v := t.lookup(name, false)
	if v != nil && (v.Value == value || v.Flags&Immutable != 0) {
		return false
	}
	v = t.lookup(name, true)
	v.Value = value
	t.send(sockproto.SetInfoMsg(v.Name, value))
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

// Delete removes a variable; it reports whether it existed.
func (t *Tree) Delete(name string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	key := strings.ToLower(name)
	v := t.vars[key]
	if v == nil {
		return false
	}
	delete(t.vars, key)
	t.names = removeSorted(t.names, key)
	t.send(sockproto.DelInfoMsg(v.Name))
	return true
}

// SetFlags replaces a variable's flags. The variable must exist.
func (t *Tree) SetFlags(name string, f Flags) {
	t.mu.Lock()
	defer t.mu.Unlock()
	v := t.lookup(name, false)
	if v == nil || v.Flags == f {
		return
	}
	v.Flags = f
	t.send(sockproto.SetFlagsMsg(v.Name, f.Words()))
}

// AddFlags adds flags to those a variable has.
func (t *Tree) AddFlags(name string, f Flags) {
	if v, ok := t.Var(name); ok {
		t.SetFlags(name, v.Flags|f)
	}
}

// SetAux sets a variable's auxiliary value (a string's maximum length).
func (t *Tree) SetAux(name string, aux int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	v := t.lookup(name, false)
	if v == nil || v.Aux == aux {
		return
	}
	v.Aux = aux
	t.send(sockproto.SetAuxMsg(v.Name, aux))
}

// AddEnum adds an allowed value to a variable, once.
func (t *Tree) AddEnum(name, value string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	v := t.lookup(name, false)
	if v == nil {
		return
	}
	for _, e := range v.Enums {
		if e == value {
			return
		}
	}
	v.Enums = append(v.Enums, value)
	t.send(sockproto.AddEnumMsg(v.Name, value))
}

// DelEnum removes an allowed value.
func (t *Tree) DelEnum(name, value string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	v := t.lookup(name, false)
	if v == nil {
		return
	}
	for i, e := range v.Enums {
		if e == value {
			v.Enums = append(v.Enums[:i], v.Enums[i+1:]...)
			t.send(sockproto.DelEnumMsg(v.Name, value))
			return
		}
	}
}

// AddRange adds an allowed interval to a variable, once.
func (t *Tree) AddRange(name string, min, max int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	v := t.lookup(name, false)
	if v == nil {
		return
	}
	for _, r := range v.Ranges {
		if r == (Range{min, max}) {
			return
		}
	}
	v.Ranges = append(v.Ranges, Range{min, max})
	t.send(sockproto.AddRangeMsg(v.Name, min, max))
}

// DelRange removes an allowed interval.
func (t *Tree) DelRange(name string, min, max int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	v := t.lookup(name, false)
	if v == nil {
		return
	}
	for i, r := range v.Ranges {
		if r == (Range{min, max}) {
			v.Ranges = append(v.Ranges[:i], v.Ranges[i+1:]...)
			t.send(sockproto.DelRangeMsg(v.Name, min, max))
			return
		}
	}
}

// AddCmd declares an instant command.
func (t *Tree) AddCmd(name string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	key := strings.ToLower(name)
	if _, ok := t.cmds[key]; ok {
		return
	}
	t.cmds[key] = name
	t.cmdNs = insertSorted(t.cmdNs, key)
	t.send(sockproto.AddCmdMsg(name))
}

// DelCmd withdraws an instant command.
func (t *Tree) DelCmd(name string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	key := strings.ToLower(name)
	n, ok := t.cmds[key]
	if !ok {
		return
	}
	delete(t.cmds, key)
	t.cmdNs = removeSorted(t.cmdNs, key)
	t.send(sockproto.DelCmdMsg(n))
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
func (t *Tree) DataOK() bool { return t.setStale(false, sockproto.DataOK) }

// DataStale marks the data unusable; servers are told when that changes.
// It reports whether it changed.
func (t *Tree) DataStale() bool { return t.setStale(true, sockproto.DataStale) }

func (t *Tree) setStale(stale bool, cmd string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.stale == stale {
		return false
	}
	t.stale = stale
	t.send(sockproto.Message{Cmd: cmd})
	return true
}

// Stale reports whether the data is stale.
func (t *Tree) Stale() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.stale
}

func dumpVar(b *strings.Builder, v *Var) {
	b.WriteString(sockproto.SetInfoMsg(v.Name, v.Value).Encode())
	for _, e := range v.Enums {
		b.WriteString(sockproto.AddEnumMsg(v.Name, e).Encode())
	}
	for _, r := range v.Ranges {
		b.WriteString(sockproto.AddRangeMsg(v.Name, r.Min, r.Max).Encode())
	}
	if v.Aux != 0 {
		b.WriteString(sockproto.SetAuxMsg(v.Name, v.Aux).Encode())
	}
	if w := v.Flags.Words(); len(w) > 0 {
		b.WriteString(sockproto.SetFlagsMsg(v.Name, w).Encode())
	}
}

// Dump answers DUMPALL (name == "") or DUMPVALUE name: DATASTALE first if
// the data is stale, the variables, the commands (DUMPALL only), DATAOK if
// it is not, then DUMPDONE. Deliver runs with the tree locked, so that no
// change line can slip between the dump and what follows it: it must not
// block and must not call back into the tree.
func (t *Tree) Dump(name string, deliver func(text string)) {
	t.mu.Lock()
	defer t.mu.Unlock()
	var b strings.Builder
	if t.stale {
		b.WriteString("DATASTALE\n")
	}
	if name == "" {
		for _, k := range t.names {
			dumpVar(&b, t.vars[k])
		}
		for _, k := range t.cmdNs {
			b.WriteString(sockproto.AddCmdMsg(t.cmds[k]).Encode())
		}
	} else if v := t.lookup(name, false); v != nil {
		dumpVar(&b, v)
	}
	if !t.stale {
		b.WriteString("DATAOK\n")
	}
	b.WriteString("DUMPDONE\n")
	deliver(b.String())
}
