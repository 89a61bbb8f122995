package web

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"net/url"
	"sync"
	"time"

	"gonut/nutclient"
)

// Actions lets a user log in on the page and run instant commands and
// SETs through upsd, with upsd.users' rights: nut-web keeps the user name
// and password of a session in memory only, and sends them to upsd
// (USERNAME, PASSWORD) on a connection of its own for each action; upsd
// decides. Off unless nut-web runs with -a.
//
// Against cross-site requests: the session cookie is HttpOnly and
// SameSite=Strict, every POST carries the session's token (a hidden form
// field) and, when the browser sends an Origin, it must be this host's.
type Actions struct {
	Store *Store
	TTL   time.Duration // how long a session lasts
	Now   func() time.Time

	mu       sync.Mutex
	sessions map[string]*session
}

type session struct {
	user, password, token string
	expires               time.Time
}

const cookieName = "nut-web-session"

// maxSessions bounds the memory that logins can take.
const maxSessions = 1000

func randomHex() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// session is the request's live session, if any.
func (a *Actions) session(r *http.Request) *session {
	c, err := r.Cookie(cookieName)
	if err != nil {
		return nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	s := a.sessions[c.Value]
	if s == nil || a.Now().After(s.expires) {
		delete(a.sessions, c.Value)
		return nil
	}
	return s
}

// sameOrigin refuses a request whose Origin is another site's.
func sameOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "" {
		return r.Header.Get("Sec-Fetch-Site") == "" || r.Header.Get("Sec-Fetch-Site") == "same-origin"
	}
	u, err := url.Parse(o)
	return err == nil && u.Host == r.Host
}

// checked is a POST from the page of a live session: its token matches.
func (a *Actions) checked(w http.ResponseWriter, r *http.Request) *session {
	s := a.session(r)
	if !sameOrigin(r) || s == nil || subtle.ConstantTimeCompare([]byte(r.PostFormValue("token")), []byte(s.token)) != 1 {
		http.Error(w, "forbidden: log in again from the page", http.StatusForbidden)
		return nil
	}
	return s
}

func (a *Actions) login(w http.ResponseWriter, r *http.Request) {
	if !sameOrigin(r) {
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	user, pw := r.PostFormValue("user"), r.PostFormValue("password")
	if user == "" {
		back(w, r, "a user name is needed")
		return
	}
	id := randomHex()
	a.mu.Lock()
	if a.sessions == nil {
		a.sessions = map[string]*session{}
	}
	now := a.Now()
	for k, s := range a.sessions {
		if now.After(s.expires) {
			delete(a.sessions, k)
		}
	}
	full := len(a.sessions) >= maxSessions
	if !full {
		a.sessions[id] = &session{user: user, password: pw, token: randomHex(), expires: now.Add(a.TTL)}
	}
	a.mu.Unlock()
	if full {
		back(w, r, "too many sessions: try again later")
		return
	}
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: id, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
	back(w, r, "logged in as "+user+": upsd checks the password and rights at each action")
}

func (a *Actions) logout(w http.ResponseWriter, r *http.Request) {
	if a.checked(w, r) == nil {
		return
	}
	c, _ := r.Cookie(cookieName)
	a.mu.Lock()
	delete(a.sessions, c.Value)
	a.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode})
	back(w, r, "logged out")
}

// act runs one instant command (form field cmd) or SET (var, value) on
// the UPS of the URL, as the session's user.
func (a *Actions) act(w http.ResponseWriter, r *http.Request) {
	s := a.checked(w, r)
	if s == nil {
		return
	}
	u, ok := a.Store.Get(r.PathValue("ups"))
	if !ok || u.Addr == "" {
		back(w, r, nutMessage("UNKNOWN-UPS"))
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 15*time.Second)
	defer cancel()
	c, err := nutclient.Dial(ctx, u.Addr, nutclient.Options{})
	if err != nil {
		back(w, r, u.Key+": Connection failure: "+nutclient.Reason(err))
		return
	}
	defer c.Close()
	what, id := "", ""
	// With tracking (NUT 2.8.0), the answer is the driver's, not only
	// upsd's acceptance; an upsd without it answers at once.
	_, terr := c.Do(ctx, "SET TRACKING ON")
	tracked := terr == nil
	if err = c.Login(ctx, s.user, s.password); err == nil {
		if cmd := r.PostFormValue("cmd"); cmd != "" {
			what = "instant command " + cmd
			id, err = c.InstCmd(ctx, u.Name, cmd)
		} else {
			what = "SET " + r.PostFormValue("var") + " = " + r.PostFormValue("value")
			id, err = c.SetVar(ctx, u.Name, r.PostFormValue("var"), r.PostFormValue("value"))
		}
	}
	result := "OK"
	if err == nil && tracked && id != "" {
		result, err = c.WaitTracking(ctx, id, 10*time.Second, time.Sleep)
	}
	c.Logout(ctx)
	if err != nil {
		result = nutclient.Message(err)
	}
	back(w, r, u.Key+": "+what+": "+result)
}

// back sends the browser back to the page, with a message to show.
func back(w http.ResponseWriter, r *http.Request, msg string) {
	http.Redirect(w, r, "/?msg="+url.QueryEscape(msg), http.StatusSeeOther)
}
