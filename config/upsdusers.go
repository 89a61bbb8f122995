package config

import (
	"io"
	"strings"

	"gonut/words"
)

// User is a [section] of upsd.users.
type User struct {
	Name     string
	Line     int
	Password string
	Actions  []string // SET, FSD (upper case)
	InstCmds []string // command names, or ALL
	Upsmon   string   // "primary", "secondary" or ""
}

// Users is upsd.users.
type Users struct {
	Users []*User
}

// Find returns a user by name.
func (u *Users) Find(name string) *User {
	for _, x := range u.Users {
		if x.Name == name {
			return x
		}
	}
	return nil
}

// Can reports whether the user may take an action (SET, FSD).
func (u *User) Can(action string) bool {
	for _, a := range u.Actions {
		if strings.EqualFold(a, action) {
			return true
		}
	}
	return false
}

// CanRun reports whether the user may run an instant command.
func (u *User) CanRun(cmd string) bool {
	for _, c := range u.InstCmds {
		if strings.EqualFold(c, "ALL") || strings.EqualFold(c, cmd) {
			return true
		}
	}
	return false
}

// ParseUsers reads upsd.users: [user] sections with password, actions,
// instcmds (several values on a line, several lines add up) and
// "upsmon primary|secondary" (or the old master|slave).
func ParseUsers(file string, r io.Reader) (*Users, []error) {
	ls, errs := lines(file, r)
	p := &problems{file: file, errs: errs}
	us := &Users{}
	var cur *User
	for _, l := range ls {
		w := l.Words
		if h := w[0]; len(h) >= 2 && h[0] == '[' && h[len(h)-1] == ']' {
			name := h[1 : len(h)-1]
			if prev := us.Find(name); prev != nil {
				p.errorf(l.Num, "user [%s] again (first at line %d)", name, prev.Line)
			}
			cur = &User{Name: name, Line: l.Num}
			us.Users = append(us.Users, cur)
			continue
		}
		if cur == nil {
			p.errorf(l.Num, "%q before any [user] section", strings.Join(w, " "))
			continue
		}
		key, vals := strings.ToLower(w[0]), w[1:]
		if len(vals) > 0 && vals[0] == "=" {
			vals = vals[1:]
		}
		if len(vals) == 0 {
			p.errorf(l.Num, "%s needs a value", w[0])
			continue
		}
		switch key {
		case "password":
			cur.Password = vals[0]
		case "actions":
			for _, v := range vals {
				switch a := strings.ToUpper(v); a {
				case "SET", "FSD":
					cur.Actions = append(cur.Actions, a)
				default:
					p.warnf(l.Num, "unknown action %q (expected SET or FSD)", v)
				}
			}
		case "instcmds":
			cur.InstCmds = append(cur.InstCmds, vals...)
		case "upsmon":
			switch strings.ToLower(vals[0]) {
			case "primary", "master":
				cur.Upsmon = "primary"
			case "secondary", "slave":
				cur.Upsmon = "secondary"
			default:
				p.errorf(l.Num, "upsmon %q: expected primary or secondary", vals[0])
			}
		case "allowfrom":
			p.warnf(l.Num, "allowfrom in upsd.users is no longer used")
		default:
			p.warnf(l.Num, "unknown user setting %s", w[0])
		}
	}
	return us, p.errs
}

// LoadUsers reads upsd.users from disk.
func LoadUsers(path string) (*Users, []error) { return load(path, ParseUsers) }

// Format writes the file back out.
func (u *Users) Format() string {
	var b strings.Builder
	for _, x := range u.Users {
		b.WriteString("[" + words.Escape(x.Name) + "]\n")
		if x.Password != "" {
			b.WriteString("\tpassword = ")
			line(&b, x.Password)
		}
		if len(x.Actions) > 0 {
			b.WriteString("\tactions = ")
			line(&b, x.Actions...)
		}
		if len(x.InstCmds) > 0 {
			b.WriteString("\tinstcmds = ")
			line(&b, x.InstCmds...)
		}
		if x.Upsmon != "" {
			b.WriteString("\t")
			line(&b, "upsmon", x.Upsmon)
		}
	}
	return b.String()
}
