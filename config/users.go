package config

import (
	"io"
	"strings"

	"gonut/words"
)

// Users is upsd.users: one [section] per user of upsd.
type Users struct {
	Users []*User
}

// User is a [section] of upsd.users.
type User struct {
	Name     string
	Line     int
	Password string // may be "" (password = "")
	// HasPassword: a password line was seen. Without one upsd never lets
	// the user in, whatever password a client sends.
	HasPassword bool
	Actions     []string // as given with "actions =", upper case: SET, FSD
	InstCmds    []string // instant commands the user may run; ALL for every one
	// Upsmon is the role "upsmon primary|secondary" gives (the old
	// master and slave are read as primary and secondary): "primary",
	// "secondary" or "". The brief's UpsmonRole; upsd's code uses this name.
	Upsmon string
}

// Upsmon roles.
const (
	RolePrimary   = "primary"
	RoleSecondary = "secondary"
)

// Find returns a user by name, or nil.
func (u *Users) Find(name string) *User {
	for _, x := range u.Users {
		if x.Name == name {
			return x
		}
	}
	return nil
}

// Can reports whether the user may take an action, as upsd decides it
// (server/user.c): the actions given, plus what the upsmon role brings
// (secondary: LOGIN; primary: LOGIN, MASTER and FSD). PRIMARY and MASTER
// are one action, as upsd accepts either for the PRIMARY command. Case
// does not matter.
func (u *User) Can(action string) bool {
	a := strings.ToUpper(action)
	if a == "PRIMARY" {
		a = "MASTER"
	}
	for _, x := range u.Actions {
		if x == "PRIMARY" {
			x = "MASTER"
		}
		if x == a {
			return true
		}
	}
	switch u.Upsmon {
	case RolePrimary:
		return a == "LOGIN" || a == "MASTER" || a == "FSD"
	case RoleSecondary:
		return a == "LOGIN"
	}
	return false
}

// CanRun reports whether the user may run an instant command (any case;
// ALL allows every command).
func (u *User) CanRun(cmd string) bool {
	for _, c := range u.InstCmds {
		if strings.EqualFold(c, "ALL") || strings.EqualFold(c, cmd) {
			return true
		}
	}
	return false
}

// usersParser holds the state of one upsd.users parse.
type usersParser struct {
	*problems
	us      *Users
	cur     *User
	skipped int // line of a repeated [user] whose settings are skipped
}

// ParseUsers reads upsd.users as upsd does (server/user.c): [user]
// sections with "password = x", "actions = SET FSD", "instcmds = a b"
// (several values on a line; several lines add up; repeats are dropped),
// and "upsmon primary|secondary" (or "upsmon = ..."; master and slave are
// the old words). Keys are case-insensitive. "key=value" with the '='
// quoted into the first word is read too, as upsd does.
//
// Where gonut differs: settings before any section and under a repeated
// section are errors and are skipped (upsd gives the latter to the user
// before it, a grant nobody wrote); so are those of a section without a
// name ("[]").
func ParseUsers(file string, r io.Reader) (*Users, []error) {
	ls, probs := lines(file, r)
	p := &usersParser{problems: probs, us: &Users{}}
	for _, l := range ls {
		p.line(l)
	}
	for _, u := range p.us.Users {
		if !u.HasPassword {
			p.warnf(u.Line, "[%s] has no password: upsd never lets this user in", u.Name)
		}
	}
	return p.us, p.errs
}

func (p *usersParser) line(l words.Line) {
	w := l.Words
	if strings.EqualFold(w[0], "user") {
		p.warnf(l.Num, "old-style user line ignored, as upsd ignores it: write a [section] per user")
		return
	}
	var key string
	var vals []string
	switch {
	case strings.Contains(w[0], "="):
		// 'key=value' in one word: only possible with quotes or
		// escapes, since the tokenizer splits a bare '='.
		k, v, _ := strings.Cut(w[0], "=")
		key, vals = k, append([]string{v}, w[1:]...)
	case isHeader(w[0]):
		p.header(l)
		return
	case strings.EqualFold(w[0], "upsmon") && len(w) >= 2 && w[1] != "=":
		key, vals = w[0], w[1:]
		if len(vals) > 1 {
			p.warnf(l.Num, "upsmon: words after %q ignored", vals[0])
			vals = vals[:1]
		}
	case len(w) >= 3 && w[1] == "=":
		key, vals = w[0], w[2:]
	default:
		p.errorf(l.Num, "expected key = value, upsmon primary|secondary or a [user], got %q", strings.Join(w, " "))
		return
	}
	if p.skipped > 0 {
		p.errorf(l.Num, "%s skipped: it is under the ignored section at line %d", key, p.skipped)
		return
	}
	if p.cur == nil {
		p.errorf(l.Num, "%s before any [user] section: upsd ignores it", key)
		return
	}
	p.setting(l.Num, key, vals)
}

func (p *usersParser) header(l words.Line) {
	name := l.Words[0][1 : len(l.Words[0])-1]
	if len(l.Words) > 1 {
		p.warnf(l.Num, "words after [%s] ignored", name)
	}
	if name == "" {
		p.errorf(l.Num, "[] has no user name: its settings are skipped")
		p.skipped, p.cur = l.Num, nil
		return
	}
	if prev := p.us.Find(name); prev != nil {
		p.errorf(l.Num, "user [%s] again (first at line %d): upsd ignores the repeat; its settings are skipped", name, prev.Line)
		p.skipped, p.cur = l.Num, nil
		return
	}
	p.skipped = 0
	p.cur = &User{Name: name, Line: l.Num}
	p.us.Users = append(p.us.Users, p.cur)
}

func (p *usersParser) setting(line int, key string, vals []string) {
	u := p.cur
	switch strings.ToLower(key) {
	case "password":
		if len(vals) > 1 {
			p.warnf(line, "password: words after the first ignored (quote a password that has spaces)")
		}
		if u.HasPassword {
			p.warnf(line, "[%s] password again: upsd keeps the first one", u.Name)
			return
		}
		u.Password, u.HasPassword = vals[0], true
	case "actions":
		for _, v := range vals {
			a := strings.ToUpper(v)
			switch a {
			case "SET", "FSD":
			case "LOGIN", "MASTER", "PRIMARY":
				p.warnf(line, "actions = %s: upsd grants it, but give upsmon rights with 'upsmon primary' or 'upsmon secondary'", v)
			default:
				p.warnf(line, "actions = %s: upsd knows only SET and FSD; no command needs this action", v)
			}
			if !contains(u.Actions, a) {
				u.Actions = append(u.Actions, a)
			}
		}
	case "instcmds":
		for _, v := range vals {
			if !containsFold(u.InstCmds, v) {
				u.InstCmds = append(u.InstCmds, v)
			}
		}
	case "upsmon":
		for _, v := range vals {
			var role string
			switch strings.ToLower(v) {
			case "primary", "master":
				role = RolePrimary
			case "secondary", "slave":
				role = RoleSecondary
			default:
				p.errorf(line, "upsmon %q: expected primary or secondary", v)
				continue
			}
			if u.Upsmon != "" && u.Upsmon != role {
				// upsd adds the rights of both roles.
				p.warnf(line, "[%s] upsmon %s after upsmon %s: upsd grants both, so this user is primary", u.Name, role, u.Upsmon)
				role = RolePrimary
			}
			u.Upsmon = role
		}
	case "allowfrom":
		p.warnf(line, "allowfrom in upsd.users is no longer used: upsd ignores it")
	default:
		p.warnf(line, "unknown user setting %s: upsd ignores it (expected password, actions, instcmds or upsmon)", key)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// LoadUsers reads upsd.users from disk (see Path).
func LoadUsers(path string) (*Users, []error) { return load(path, ParseUsers) }

// Format writes the file back out.
func (u *Users) Format() string {
	var b strings.Builder
	for i, x := range u.Users {
		if i > 0 {
			b.WriteByte('\n')
		}
		writeLine(&b, "", "["+x.Name+"]")
		if x.HasPassword {
			writeAssign(&b, "\t", "password", x.Password)
		}
		writeList(&b, "\t", "actions", x.Actions)
		writeList(&b, "\t", "instcmds", x.InstCmds)
		if x.Upsmon != "" {
			writeLine(&b, "\t", "upsmon", x.Upsmon)
		}
	}
	return b.String()
}
