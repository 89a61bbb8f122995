package sockproto

import (
	"errors"
	"fmt"
	"strconv"

	"gonut/state"
	"gonut/words"
)

// changeCmds are the commands that tell a change of a tree, by Op.
var changeCmds = [...]string{
	state.OpSet: SetInfo, state.OpDelete: DelInfo, state.OpAddEnum: AddEnum, state.OpDelEnum: DelEnum,
	state.OpAddRange: AddRange, state.OpDelRange: DelRange, state.OpSetAux: SetAux, state.OpSetFlags: SetFlags,
	state.OpAddCmd: AddCmd, state.OpDelCmd: DelCmd, state.OpDataOK: DataOK, state.OpDataStale: DataStale,
}

// opOf is the op a command tells; 0 for a command that tells no change.
// (A scan, not a map: SETINFO, by far the most frequent, comes first.)
func opOf(cmd string) state.Op {
	for op := state.OpSet; int(op) < len(changeCmds); op++ {
		if changeCmds[op] == cmd {
			return op
		}
	}
	return 0
}

// AppendChange appends the line that tells a change of a driver's tree,
// newline included, quoted as NUT's drivers quote it: names as plain
// words, values always in quotes.
func AppendChange(b []byte, c state.Change) []byte {
	if int(c.Op) >= len(changeCmds) || changeCmds[c.Op] == "" {
		return b
	}
	b = append(b, changeCmds[c.Op]...)
	if c.Op != state.OpDataOK && c.Op != state.OpDataStale {
		b = append(b, ' ')
		b = words.AppendWord(b, c.Name)
	}
	switch c.Op {
	case state.OpSet, state.OpAddEnum, state.OpDelEnum:
		b = append(b, ' ')
		b = words.AppendQuote(b, c.Value)
	case state.OpAddRange, state.OpDelRange:
		b = append(b, ' ')
		b = strconv.AppendInt(b, int64(c.Range.Min), 10)
		b = append(b, ' ')
		b = strconv.AppendInt(b, int64(c.Range.Max), 10)
	case state.OpSetAux:
		b = append(b, ' ')
		b = strconv.AppendInt(b, c.Aux, 10)
	case state.OpSetFlags:
		for _, w := range c.Flags.Words() {
			b = append(b, ' ')
			b = append(b, w...)
		}
	}
	return append(b, '\n')
}

// ErrNoChange is Apply's error for a line that tells no change of a tree
// (DUMPDONE, PONG, TRACKING, PID, or one it does not know).
var ErrNoChange = errors.New("not a change of the state tree")

// Apply makes in t the change that a driver's line tells: AppendChange's
// reverse. It reports whether the tree changed, or returns an error, and
// changes nothing, when the line tells no change (ErrNoChange) or is
// malformed: too few words, or a name that is not one plain word (which
// upsd would pass on to clients as other words than were meant).
func Apply(t *state.Tree, m Message) (bool, error) {
	var c state.Change
	if err := decode(m, &c); err != nil {
		return false, err
	}
	return t.Apply(&c), nil
}

// decode reads a change line into c.
func decode(m Message, c *state.Change) error {
	c.Op = opOf(m.Cmd)
	a := m.Args
	need := 1
	switch c.Op {
	case 0:
		return fmt.Errorf("%w: %s", ErrNoChange, m.Cmd)
	case state.OpDataOK, state.OpDataStale:
		return nil
	case state.OpSet, state.OpAddEnum, state.OpDelEnum, state.OpSetAux:
		need = 2
	case state.OpAddRange, state.OpDelRange:
		need = 3
	}
	if len(a) < need {
		return fmt.Errorf("%s needs %d words after it, got %q", m.Cmd, need, m.String())
	}
	if !words.IsPlain(a[0]) {
		return fmt.Errorf("expected a variable or command name of one plain word: %q", m.String())
	}
	c.Name = a[0]
	atoi := func(s string) int { v, _ := strconv.Atoi(s); return v } // as NUT's atoi
	switch c.Op {
	case state.OpSet, state.OpAddEnum, state.OpDelEnum:
		c.Value = a[1]
	case state.OpAddRange, state.OpDelRange:
		c.Range = state.Range{Min: atoi(a[1]), Max: atoi(a[2])}
	case state.OpSetAux:
		c.Aux, _ = strconv.ParseInt(a[1], 10, 64)
	case state.OpSetFlags:
		c.Flags = state.ParseFlags(a[1:])
	}
	return nil
}

// Dump answers DUMPALL (name "") or DUMPVALUE name: the lines that make
// the tree (or the variable) from nothing, then DUMPDONE. deliver runs
// with the tree locked (see state.Tree.Replay), so that no change line
// can slip in before it has queued the text.
func Dump(t *state.Tree, name string, deliver func(text []byte)) {
	var b []byte
	t.Replay(name, func(c state.Change) { b = AppendChange(b, c) }, func() {
		deliver(append(b, DumpDone+"\n"...))
	})
}
