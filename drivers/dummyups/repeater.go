package dummyups

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"gonut/drivers/core"
	"gonut/nutclient"
	"gonut/upsname"
)

// repeater serves what another upsd shows for a UPS: each update lists its
// variables (LIST VAR) and applies them as dummy-ups applies a device
// file; a lost connection makes the data stale until a reconnect works.
type repeater struct {
	port   string // ups@host[:port], as given
	lax    bool   // repeater_disable_strict_start
	vars   *vars
	log    *slog.Logger
	name   upsname.Name
	client *nutclient.Client
}

func newRepeater(port string, lax bool, v *vars, log *slog.Logger) *repeater {
	return &repeater{port: port, lax: lax, vars: v, log: log}
}

func (r *repeater) start(ctx context.Context) error {
	n, err := upsname.Parse(r.port)
	if err != nil {
		return fmt.Errorf("invalid UPS definition %v; the required format is upsname[@hostname[:port]]", err)
	}
	r.name = n
	// No made-up ups.mfr or ups.model here, as in NUT's repeater: what the
	// upstream UPS lacks, this one lacks.
	if err := r.update(ctx); err != nil {
		if !r.lax {
			return fmt.Errorf("%v (set repeater_disable_strict_start to start anyway and retry)", err)
		}
		r.log.Warn("upstream not reachable yet; will retry", "ups", r.name.String(), "error", err)
	}
	return nil
}

func (r *repeater) connect(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	c, err := nutclient.Dial(ctx, r.name.Addr(), nutclient.Options{})
	if err != nil {
		return err
	}
	r.client = c
	return nil
}

func (r *repeater) update(ctx context.Context) error {
	if r.client == nil {
		if err := r.connect(ctx); err != nil {
			return fmt.Errorf("%s: %w", r.name, err)
		}
	}
	vars, err := r.client.ListVar(ctx, r.name.UPS)
	if err != nil {
		if _, isNUT := err.(*nutclient.Error); !isNUT {
			r.close() // reconnect next time
		}
		return fmt.Errorf("%s: %w", r.name, err)
	}
	r.vars.mu.Lock()
	defer r.vars.mu.Unlock()
	for _, v := range vars {
		if !strings.HasPrefix(v.Name, "driver.") {
			r.vars.set(v.Name, v.Value)
		}
	}
	return nil
}

// setVar applies a value here, as NUT's repeater does (upstream needs
// credentials the driver does not have).
func (r *repeater) setVar(ctx context.Context, name, value string) core.Result {
	r.vars.mu.Lock()
	defer r.vars.mu.Unlock()
	return r.vars.set(name, value)
}

func (r *repeater) instCmd(context.Context, string, string) core.Result { return core.Unknown }

func (r *repeater) close() {
	if r.client != nil {
		r.client.Close()
		r.client = nil
	}
}
