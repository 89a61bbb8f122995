package plainlog

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
)

type handler struct {
	mu    *sync.Mutex
	w     io.Writer
	level slog.Leveler
	attrs []slog.Attr
}

// New returns a logger writing plain lines to w at level and above.
func New(w io.Writer, level slog.Leveler) *slog.Logger {
	return slog.New(&handler{mu: &sync.Mutex{}, w: w, level: level})
}

func (h *handler) Enabled(_ context.Context, l slog.Level) bool { return l >= h.level.Level() }

func (h *handler) Handle(_ context.Context, r slog.Record) error {
	kv := Pairs(h.attrs, r)
	h.mu.Lock()
	defer h.mu.Unlock()
	_, err := io.WriteString(h.w, Line(r.Message, kv...)+"\n")
	return err
}

// Pairs are a handler's attributes, then the record's, as keys and
// values: what Line takes.
func Pairs(attrs []slog.Attr, r slog.Record) []string {
	var kv []string
	add := func(a slog.Attr) bool {
		kv = append(kv, a.Key, a.Value.String())
		return true
	}
	for _, a := range attrs {
		add(a)
	}
	r.Attrs(add)
	return kv
}

// Line is a message as NUT's programs write it: the text, then each
// attribute (key, value pairs) as key=value.
func Line(msg string, kv ...string) string {
	var b strings.Builder
	b.WriteString(msg)
	for i := 0; i+1 < len(kv); i += 2 {
		fmt.Fprintf(&b, " %s=%s", kv[i], kv[i+1])
	}
	return b.String()
}

func (h *handler) WithAttrs(as []slog.Attr) slog.Handler {
	n := *h
	n.attrs = append(append([]slog.Attr{}, h.attrs...), as...)
	return &n
}

func (h *handler) WithGroup(string) slog.Handler { return h }
