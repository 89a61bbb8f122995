package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"gonut/internal/jsonesc"
	"gonut/nutclient"
)

//go:embed assets
var assets embed.FS

var page = template.Must(template.ParseFS(assets, "assets/index.html"))

// Server serves a Store over HTTP.
type Server struct {
	Store *Store
	Span  time.Duration // how much history the plots show
	Now   func() time.Time
	// Actions, when not nil, lets users log in and run instant commands
	// and SETs from the page.
	Actions *Actions
}

// Handler is every path nut-web serves.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.page)
	mux.Handle("GET /assets/", http.FileServerFS(assets))
	mux.HandleFunc("GET /metrics", s.metrics)
	mux.HandleFunc("GET /ups_metrics", s.metrics)
	mux.HandleFunc("GET /events", s.events)
	mux.HandleFunc("GET /plot/{ups}/{var}", s.plot)
	mux.HandleFunc("GET /json", s.jsonList)
	mux.HandleFunc("GET /json/{ups}", s.jsonVars)
	mux.HandleFunc("GET /json/{ups}/{var}", s.jsonVar)
	if s.Actions != nil {
		mux.HandleFunc("POST /login", s.Actions.login)
		mux.HandleFunc("POST /logout", s.Actions.logout)
		mux.HandleFunc("POST /act/{ups}", s.Actions.act)
	}
	return securityHeaders(mux)
}

// securityHeaders keeps the page to its own assets.
func securityHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self'; frame-ancestors 'none'")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		h.ServeHTTP(w, r)
	})
}

type pageUPS struct {
	View
	Plots              []string
	Stamp              string
	Commands, Writable []string
}

// pageData is what the page template shows.
type pageData struct {
	UPS     []pageUPS
	Actions bool   // login offered
	User    string // logged in as
	Token   string // the session's token, in each form
	Msg     string // the result of the last action
}

func (s *Server) page(w http.ResponseWriter, r *http.Request) {
	d := pageData{Actions: s.Actions != nil, Msg: r.URL.Query().Get("msg")}
	if d.Actions {
		if ses := s.Actions.session(r); ses != nil {
			d.User, d.Token = ses.user, ses.token
		}
	}
	for _, u := range s.Store.Snapshot() {
		d.UPS = append(d.UPS, pageUPS{View: view(&u), Plots: plotted[:], Stamp: strconv.FormatUint(u.Version, 10), Commands: u.Commands, Writable: u.Writable})
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	page.Execute(w, d)
}

func (s *Server) metrics(w http.ResponseWriter, r *http.Request) {
	upss := s.Store.Snapshot()
	if want := r.URL.Query().Get("ups"); want != "" {
		var one []UPS
		for _, u := range upss {
			if u.Key == want {
				one = append(one, u)
			}
		}
		upss = one
	}
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	WriteMetrics(w, upss, s.Store.Desc)
}

// events is the page's live feed (server-sent events): every UPS at
// once, then each UPS again whenever it changes.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	changes, done := s.Store.Subscribe()
	defer done()
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	keepalive := time.NewTicker(30 * time.Second)
	defer keepalive.Stop()
	var seen uint64
	for {
		var upss []UPS
		upss, seen = s.Store.Since(seen)
		for _, u := range upss {
			data, _ := json.Marshal(view(&u))
			fmt.Fprintf(w, "event: ups\ndata: %s\n\n", data)
		}
		fl.Flush()
		select {
		case <-r.Context().Done():
			return
		case <-changes:
		case <-keepalive.C:
			io.WriteString(w, ": keepalive\n\n")
		}
	}
}

func (s *Server) plot(w http.ResponseWriter, r *http.Request) {
	u, ok := s.Store.Get(r.PathValue("ups"))
	idx := -1
	for i, p := range plotted {
		if p == strings.TrimSuffix(r.PathValue("var"), ".svg") {
			idx = i
		}
	}
	if !ok || idx < 0 {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "no-store")
	plotSVG(w, u.History, idx, s.Now(), s.Span)
}

// The JSON API: /json is upsc -j -l's array of names, /json/<ups> upsc -j
// <ups>'s object of variables, /json/<ups>/<var> upsc -j <ups> <var>'s
// string; a failure is upsc -j's {"error": "..."} with an HTTP error
// status.
func (s *Server) jsonList(w http.ResponseWriter, r *http.Request) {
	var names []string
	for _, u := range s.Store.Snapshot() {
		names = append(names, u.Key)
	}
	writeJSON(w, http.StatusOK, jsonesc.Array(names))
}

// jsonUPS finds the UPS of a request, or answers its error in the shape
// fail gives it.
func (s *Server) jsonUPS(w http.ResponseWriter, r *http.Request, fail func(string) string) (UPS, bool) {
	u, ok := s.Store.Get(r.PathValue("ups"))
	switch {
	case !ok:
		writeJSON(w, http.StatusNotFound, fail(nutMessage("UNKNOWN-UPS")))
		return u, false
	case u.Err != "":
		writeJSON(w, http.StatusServiceUnavailable, fail(u.Err))
		return u, false
	}
	return u, true
}

func (s *Server) jsonVars(w http.ResponseWriter, r *http.Request) {
	if u, ok := s.jsonUPS(w, r, jsonesc.ObjectError); ok {
		writeJSON(w, http.StatusOK, jsonesc.Object(u.Vars))
	}
}

func (s *Server) jsonVar(w http.ResponseWriter, r *http.Request) {
	u, ok := s.jsonUPS(w, r, jsonesc.Error)
	if !ok {
		return
	}
	name := r.PathValue("var")
	for _, kv := range u.Vars {
		if kv[0] == name {
			writeJSON(w, http.StatusOK, jsonesc.Quote(kv[1])+"\n")
			return
		}
	}
	writeJSON(w, http.StatusNotFound, jsonesc.Error(nutMessage("VAR-NOT-SUPPORTED")))
}

func writeJSON(w http.ResponseWriter, code int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	io.WriteString(w, body)
}

// nutMessage is what NUT's clients say of upsd's ERR code.
func nutMessage(code string) string { return (&nutclient.Error{Code: code}).Message() }
