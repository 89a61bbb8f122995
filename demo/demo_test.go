package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// make demo tells the whole story: power failure, low battery, FSD, the
// shutdown command and the power-down flag, in order.
func TestDemo(t *testing.T) {
	bin := t.TempDir()
	out, err := exec.Command("go", "build", "-o", bin+"/", "gonut/cmd/dummy-ups", "gonut/cmd/upsd", "gonut/cmd/upsmon").CombinedOutput()
	if err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	demo := filepath.Join(t.TempDir(), "demo")
	if out, err := exec.Command("go", "build", "-o", demo, "gonut/demo").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	var stdout bytes.Buffer
	cmd := exec.Command(demo, "-bin", bin)
	cmd.Stdout, cmd.Stderr = &stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("demo: %v\n%s", err, stdout.String())
	}
	story := stdout.String()
	// Milestones in order; what happens at one moment (the status line
	// and upsmon's notice of it) may come in either order.
	at := 0
	for _, want := range []string{"status OL ", "on battery", "battery is low", "Executing automatic power-fail shutdown",
		"SHUTDOWNCMD runs", "upsmon-shutdown-file", "The end"} {
		i := strings.Index(story[at:], want)
		if i < 0 {
			t.Fatalf("the story lacks %q (after byte %d):\n%s", want, at, story)
		}
		at += i
	}
	for _, want := range []string{"status OB DISCHRG ", "FSD OB DISCHRG LB"} {
		if !strings.Contains(story, want) {
			t.Fatalf("the story lacks %q:\n%s", want, story)
		}
	}
}
