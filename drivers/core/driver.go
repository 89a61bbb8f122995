package core

import (
	"context"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"gonut/config"
	"gonut/drivers/sockproto"
	"gonut/state"
)

// Result is what an instant command or a SET came to, as TRACKING carries
// it (sockproto's, under the names a driver uses).
type Result = sockproto.Result

const (
	Handled          = sockproto.Handled          // done
	Unknown          = sockproto.Unknown          // not known to the driver, or unspecified error
	Invalid          = sockproto.Invalid          // not valid now (or the variable is read-only)
	Failed           = sockproto.Failed           // the device refused or did not answer
	ConversionFailed = sockproto.ConversionFailed // the value could not be converted
)

// Info describes a driver.
type Info struct {
	Name        string // program name, e.g. "dummy-ups"
	Description string // e.g. "Device simulation and repeater driver"
	Version     string // the driver's own version (driver.version.internal)
	// MoreBanner are the lines that follow the banner's first, as NUT's
	// drivers name their communication layer ("USB communication
	// driver (libusb 1.0) 0.43").
	MoreBanner []string
	// Options are the driver's own ups.conf keys (config.DriverOption,
	// config.DriverFlag), beside the core's (config.CoreUPSKeys).
	Options config.UPSKeys
	// Help is more text for -h, after the options (genericups lists its
	// UPS types there, as NUT's upsdrv_help does): NUT's text, word for
	// word, since gonut's own additions come after it.
	Help string
	// Timeout bounds a command on the device (InstCmd, SetVar, and
	// Shutdown for driver.killpower): its context ends then, and the
	// driver answers Failed. 0: DefaultTimeout.
	Timeout time.Duration
}

// DefaultTimeout is a driver's Timeout unless it says otherwise: NUT's
// USB drivers give a device as long to answer a request.
const DefaultTimeout = 5 * time.Second

// Driver is a device protocol.
//
// The core calls Init first, alone. Then Update runs on a goroutine of its
// own, one at a time, so that a slow device holds up neither commands nor
// events: InstCmd, SetVar, Shutdown and the events the driver delivers
// (Device.Deliver) run one at a time on the core's loop, possibly while an
// Update waits on the device. A driver guards what Update shares with
// them (Device.Tree is safe for concurrent use, and a device transport
// keeps one exchange at a time on its wire). Close comes last, once Update
// has returned or had its Timeout to do so.
type Driver interface {
	Info() Info
	// Init opens the device and declares what it knows: variables,
	// their flags and the instant commands.
	Init(ctx context.Context, dev *Device) error
	// Update reads the device once. An error marks the data stale until
	// an Update succeeds.
	Update(ctx context.Context, dev *Device) error
	// InstCmd runs an instant command; SetVar writes a variable.
	InstCmd(ctx context.Context, dev *Device, name, param string) Result
	SetVar(ctx context.Context, dev *Device, name, value string) Result
	// Shutdown tells the UPS to power the load off (and back on when
	// power returns): the driver's -k.
	Shutdown(ctx context.Context, dev *Device) error
	// Close releases the device.
	Close() error
}

// Base gives a driver the answers of one that has no commands, no
// writable variables and no way to shut the UPS down. Embed it.
type Base struct{}

func (Base) InstCmd(context.Context, *Device, string, string) Result { return Unknown }
func (Base) SetVar(context.Context, *Device, string, string) Result  { return Unknown }
func (Base) Shutdown(context.Context, *Device) error                 { return ErrNoShutdown }
func (Base) Close() error                                            { return nil }

// ErrNoShutdown is Shutdown's answer for drivers that cannot power off.
const ErrNoShutdown = errorString("this driver cannot shut the UPS down")

type errorString string

func (e errorString) Error() string { return string(e) }

// Device is what a driver works on: its ups.conf section, its state tree
// and its logger.
type Device struct {
	Name string // the ups.conf section (-a)
	Tree *state.Tree
	Log  *slog.Logger

	events  chan func(*Device) // Deliver's, for the loop
	poll    chan struct{}      // PollNow's wake-up
	stopped chan struct{}      // closed once the driver stops
	stop    sync.Once

	progress atomic.Uint64 // Progress's count

	mu       sync.Mutex
	settings map[string]Setting
	interval time.Duration
	next     time.Duration // one-off wait before the next update
}

// pendingEvents is how many delivered events may wait for the loop
// before Deliver waits too.
const pendingEvents = 64

func newDevice(name string, tree *state.Tree, log *slog.Logger, interval time.Duration) *Device {
	return &Device{Name: name, Tree: tree, Log: log, settings: map[string]Setting{}, interval: interval,
		events: make(chan func(*Device), pendingEvents), poll: make(chan struct{}, 1), stopped: make(chan struct{})}
}

// Value returns a setting's value (port, or any driver option).
func (d *Device) Value(key string) (string, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	s, ok := d.settings[strings.ToLower(key)]
	if !ok || s.Flag {
		return "", false
	}
	return s.Value, true
}

// Flag reports whether a flag setting is present (e.g. "nowait").
func (d *Device) Flag(key string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	s, ok := d.settings[strings.ToLower(key)]
	return ok && s.Flag
}

// Settings returns every setting, sorted by key.
func (d *Device) Settings() []Setting {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make([]Setting, 0, len(d.settings))
	for _, s := range d.settings {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// PollInterval is the time between updates.
func (d *Device) PollInterval() time.Duration {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.interval
}

// Progress tells the core that the running Update got an answer (or a
// clean failure) from the device, one exchange of many: the service
// manager's watchdog is fed while an Update makes progress, however long
// it takes, and stops only when one has made none for a whole interval.
func (d *Device) Progress() { d.progress.Add(1) }

// NextUpdateIn overrides the wait before the next update, once (a device
// script's TIMER, say).
func (d *Device) NextUpdateIn(wait time.Duration) {
	d.mu.Lock()
	d.next = wait
	d.mu.Unlock()
}

// takeWait returns the wait before the next update, after one that took
// took: what is left of the poll interval, counted from that update's
// start as NUT's drivers count it (so a slow device is still polled every
// interval), or the wait NextUpdateIn asked for.
func (d *Device) takeWait(took time.Duration) time.Duration {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.next > 0 {
		w := d.next
		d.next = 0
		return w
	}
	return max(0, d.interval-took)
}

// NewDevice is a Device for a driver's own tests, which call its methods
// without the core's loop: its section's settings, a fresh tree.
func NewDevice(name string, settings []Setting, log *slog.Logger) *Device {
	d := newDevice(name, state.New(), log, config.DefaultPollInterval*time.Second)
	for _, s := range settings {
		d.settings[strings.ToLower(s.Key)] = s
	}
	return d
}
