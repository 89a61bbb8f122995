package journal

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"syscall"
	"testing"
)

func TestFieldNames(t *testing.T) {
	for key, want := range map[string]string{
		"ups": "UPS", "event": "EVENT", "var": "NUT_VAR", "addr": "NUT_ADDR",
		"tracking id": "NUT_TRACKING_ID", "x-1": "NUT_X_1",
	} {
		if got := Field(key); got != want {
			t.Errorf("Field(%q) = %q, want %q", key, got, want)
		}
	}
}

// A daemon whose standard error is not the journal's stream logs plain
// lines there, as NUT's daemons do.
func TestPlainWithoutTheJournal(t *testing.T) {
	t.Setenv("JOURNAL_STREAM", "")
	var buf bytes.Buffer
	Logger("upsd", &buf, slog.LevelInfo).Info("lost the driver", "ups", "myups")
	if got := buf.String(); got != "lost the driver ups=myups\n" {
		t.Errorf("got %q", got)
	}
	if Stderr() {
		t.Error("Stderr() with no JOURNAL_STREAM")
	}
}

// Under systemd (JOURNAL_STREAM names standard error), messages go to
// the journal's socket; where it cannot take them (here: no journald),
// the plain line still goes to standard error.
func TestJournalFallsBackToPlainLines(t *testing.T) {
	if _, err := os.Stat("/run/systemd/journal/socket"); err == nil {
		t.Skip("a journald runs here: the message would go to it")
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	saved := os.Stderr
	os.Stderr = w
	defer func() { os.Stderr = saved }()
	var st syscall.Stat_t
	if err := syscall.Fstat(int(w.Fd()), &st); err != nil {
		t.Fatal(err)
	}
	// StderrIsJournalStream looks at fd 2 itself: point it at the pipe.
	saved2, _ := syscall.Dup(2)
	defer func() { syscall.Dup2(saved2, 2); syscall.Close(saved2) }()
	if err := syscall.Dup2(int(w.Fd()), 2); err != nil {
		t.Fatal(err)
	}
	t.Setenv("JOURNAL_STREAM", fmt.Sprintf("%d:%d", st.Dev, st.Ino))
	if !Stderr() {
		t.Fatal("Stderr() false with JOURNAL_STREAM naming fd 2")
	}
	Logger("upsd", os.Stderr, slog.LevelInfo).Warn("lost the driver", "ups", "myups")
	w.Close()
	syscall.Dup2(saved2, 2)
	out := make([]byte, 256)
	n, _ := r.Read(out)
	if got := string(out[:n]); !strings.Contains(got, "lost the driver ups=myups\n") {
		t.Errorf("fallback wrote %q", got)
	}
}
