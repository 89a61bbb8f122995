package journal

import (
	"context"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"

	sdjournal "github.com/coreos/go-systemd/v22/journal"

	"gonut/internal/plainlog"
)

// Field is the journal field that a message's attribute key becomes: ups
// and event are UPS and EVENT; any other key is NUT_ and the key in
// capitals, with what a field name cannot hold as underscores (var:
// NUT_VAR, addr: NUT_ADDR).
func Field(key string) string {
	switch key {
	case "ups":
		return "UPS"
	case "event":
		return "EVENT"
	}
	b := []byte("NUT_" + strings.ToUpper(key))
	for i, c := range b {
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			b[i] = '_'
		}
	}
	return string(b)
}

// Stderr reports whether this process's standard error is the journal's
// stream for it, as systemd sets it up for a service (JOURNAL_STREAM).
func Stderr() bool {
	ok, err := sdjournal.StderrIsJournalStream()
	return ok && err == nil
}

// Priority is a level's syslog priority, as the journal keeps it.
func Priority(l slog.Level) sdjournal.Priority {
	switch {
	case l >= slog.LevelError:
		return sdjournal.PriErr
	case l >= slog.LevelWarn:
		return sdjournal.PriWarning
	case l >= slog.LevelInfo:
		return sdjournal.PriInfo
	}
	return sdjournal.PriDebug
}

// Sender sends messages natively to the journal, named ident
// (SYSLOG_IDENTIFIER) and with fixed fields of its own (a driver's UPS);
// a message the journal does not take goes to fallback as a plain line.
type Sender struct {
	ident    string
	fields   map[string]string
	fallback io.Writer
	mu       sync.Mutex
}

// New is a Sender for the program ident; fields are key, value pairs of
// attribute keys (as Field names them) that every message carries.
func New(ident string, fallback io.Writer, fields ...string) *Sender {
	s := &Sender{ident: ident, fields: map[string]string{"SYSLOG_IDENTIFIER": ident}, fallback: fallback}
	for i := 0; i+1 < len(fields); i += 2 {
		s.fields[Field(fields[i])] = fields[i+1]
	}
	return s
}

// Send sends msg at level with attrs (key, value pairs) as fields.
func (s *Sender) Send(level slog.Level, msg string, attrs ...string) {
	vars := make(map[string]string, len(s.fields)+len(attrs)/2)
	for k, v := range s.fields {
		vars[k] = v
	}
	for i := 0; i+1 < len(attrs); i += 2 {
		vars[Field(attrs[i])] = attrs[i+1]
	}
	if err := sdjournal.Send(msg, Priority(level), vars); err != nil {
		s.mu.Lock()
		io.WriteString(s.fallback, msg+"\n")
		s.mu.Unlock()
	}
}

// Handler is a slog handler sending each record through s: its text is
// the line plainlog writes (the message, then the attributes), and each
// attribute is also a field.
func (s *Sender) Handler(level slog.Leveler) slog.Handler {
	return &handler{s: s, level: level}
}

type handler struct {
	s     *Sender
	level slog.Leveler
	attrs []slog.Attr
}

func (h *handler) Enabled(_ context.Context, l slog.Level) bool { return l >= h.level.Level() }

func (h *handler) Handle(_ context.Context, r slog.Record) error {
	kv := plainlog.Pairs(h.attrs, r)
	h.s.Send(r.Level, plainlog.Line(r.Message, kv...), kv...)
	return nil
}

func (h *handler) WithAttrs(as []slog.Attr) slog.Handler {
	n := *h
	n.attrs = append(append([]slog.Attr{}, h.attrs...), as...)
	return &n
}

func (h *handler) WithGroup(string) slog.Handler { return h }

// Logger is the logger a daemon logs through: to the journal, natively,
// when stderr is the process's standard error and the journal's stream;
// else plain lines to stderr.
func Logger(ident string, stderr io.Writer, level slog.Leveler, fields ...string) *slog.Logger {
	if s := Native(ident, stderr, fields...); s != nil {
		return slog.New(s.Handler(level))
	}
	return plainlog.New(stderr, level)
}

// Native is a Sender for ident when stderr is the process's standard
// error and the journal's stream (messages go to the journal natively);
// else nil.
func Native(ident string, stderr io.Writer, fields ...string) *Sender {
	if stderr == io.Writer(os.Stderr) && Stderr() {
		return New(ident, stderr, fields...)
	}
	return nil
}
