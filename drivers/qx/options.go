package qx

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"gonut/config"
	"gonut/drivers/serial"
	"gonut/drivers/usb"
)

// options are nutdrv_qx's ups.conf keys, in NUT 2.8.0's order and words
// (its upsdrv_makevartable and the blazer subdrivers' makevartable).
func options() config.UPSKeys {
	keys := config.UPSKeys{
		config.DriverOption("offdelay", "Set shutdown delay, in seconds (default="+defaultOffDelay+")"),
		config.DriverOption("ondelay", "Set startup delay, in seconds (default="+defaultOnDelay+")"),
		config.DriverFlag("stayoff", "If invoked the UPS won't return after a shutdown when FSD arises"),
		config.DriverOption("pollfreq", "Set polling frequency, in seconds, to reduce data flow (default=30)"),
		config.DriverOption("protocol", "Preselect communication protocol (skip autodetection)"),
		config.DriverOption("runtimecal", "Parameters used for runtime calculation"),
		config.DriverOption("chargetime", "Nominal charge time for UPS battery"),
		config.DriverOption("idleload", "Minimum load to be used for runtime calculation"),
	}
	// The USB-serial bridges' options.
	keys = append(keys, config.DriverOption("subdriver", "Serial-over-USB subdriver selection"))
	keys = append(keys, usb.MatchOptions()...)
	return append(keys,
		config.DriverOption("langid_fix", "Apply the language ID workaround to the krauler subdriver (0x409 or 0x4095)"),
		config.DriverFlag("noscanlangid", "Don't autoscan valid range for langid"),
		config.DriverOption("cablepower", "Set cable power for serial interface"),
		// Voltronic's.
		config.DriverFlag("reset_to_default", "Reset capability options and their limits to safe default values"),
		config.DriverOption("bypass_alarm", "Alarm (BEEP!) at Bypass Mode [enabled/disabled]"),
		config.DriverOption("battery_alarm", "Alarm (BEEP!) at Battery Mode [enabled/disabled]"),
		config.DriverOption("bypass_when_off", "Bypass when the UPS is Off [enabled/disabled]"),
		config.DriverOption("alarm_control", "Alarm (BEEP!) Control [enabled/disabled]"),
		config.DriverOption("converter_mode", "Converter Mode [enabled/disabled]"),
		config.DriverOption("eco_mode", "ECO Mode [enabled/disabled]"),
		config.DriverOption("battery_open_status_check", "Battery Open Status Check [enabled/disabled]"),
		config.DriverOption("bypass_forbidding", "Bypass not allowed (Bypass Forbidding) [enabled/disabled]"),
		config.DriverOption("site_fault_detection", "Site fault detection [enabled/disabled]"),
		config.DriverOption("advanced_eco_mode", "Advanced ECO Mode [enabled/disabled]"),
		config.DriverOption("constant_phase_angle", "Constant Phase Angle Function (Output and input phase angles are not equal) [enabled/disabled]"),
		config.DriverOption("limited_runtime_on_battery", "Limited runtime on battery mode [enabled/disabled]"),
		config.DriverOption("max_bypass_volt", "Maximum voltage for Bypass Mode"),
		config.DriverOption("min_bypass_volt", "Minimum voltage for Bypass Mode"),
		config.DriverOption("max_bypass_freq", "Maximum frequency for Bypass Mode"),
		config.DriverOption("min_bypass_freq", "Minimum frequency for Bypass Mode"),
		config.DriverOption("work_range_type", "Device grid working range for P31 UPSes [Appliance/UPS]"),
		config.DriverOption("output_phase_angle", "Change output phase angle to the provided value [000, 120, 180, 240]°"),
		config.DriverOption("battery_number", "Set number of batteries that make a pack to n (integer, 1-9)"),
		config.DriverFlag("testing", "If invoked the driver will exec also commands that still need testing"),
		config.DriverFlag("norating", "Skip reading rating information from UPS"),
		config.DriverFlag("novendor", "Skip reading vendor information from UPS"),
		config.DriverFlag("ignoresab", "Ignore 'Shutdown Active' bit in UPS status"),
		// BestUPS's, then Masterguard's (which claims no UPS in NUT
		// 2.8.0: its keys are only read).
		config.DriverOption("pins_shutdown_mode", "Set shutdown mode functionality of Pin 1 and Pin 7 on the UPS DB9 communication port (Per Best Power's EPS-0059) to n (integer, 0-6)"),
		config.DriverOption("series", "Series (A/E)"),
		config.DriverOption("slave_address", "Slave address (UPS id) to match"),
		config.DriverOption("input_fault_voltage", "Input fault voltage (whatever that means)"),
		config.DriverOption("number_of_battery_cells", "Number of battery cells in series"),
		config.DriverOption("nominal_cell_voltage", "Nominal battery cell voltage"),
		config.DriverOption("runtime_half", "Nominal battery run time at 50% load (seconds)"),
		config.DriverOption("runtime_full", "Nominal battery run time at 100% load (seconds)"),
		config.DriverOption("recharge_time", "Nominal battery recharge time to 95% capacity (seconds)"),
		config.DriverOption("output_voltages", "Possible output voltages (volts)"),
		config.DriverOption("fault_1", "Fault record 1 (newest)"),
		config.DriverOption("fault_2", "Fault record 2"),
		config.DriverOption("fault_3", "Fault record 3"),
		config.DriverOption("fault_4", "Fault record 4"),
		config.DriverOption("fault_5", "Fault record 5 (oldest)"),
	)
}

// usbOptions are the settings that make NUT's nutdrv_qx use USB.
var usbOptions = []string{"subdriver", "vendorid", "productid", "vendor", "product", "serial", "bus", "langid_fix"}

// defaultPollFreq is the time between full updates, NUT's.
const defaultPollFreq = 30 * time.Second

// cablePower is what each cablepower value sets: DTR, RTS.
var cablePower = map[string][2]bool{
	"normal":  {true, false},
	"reverse": {false, true},
	"both":    {true, true},
	"none":    {false, false},
}

// settings are the options the driver reads at start.
type settings struct {
	pollFreq   time.Duration
	protocol   string
	dtr, rts   bool
	runtimeCal []float64 // high runtime, high load, low runtime, low load
	chargeTime float64   // seconds from empty to full; 0: NUT's 43200
	idleLoad   float64   // fraction; 0: NUT's 0.1
	// usb: the UPS is behind a USB-serial bridge (port = auto, or one of
	// usbOptions set), as NUT decides.
	usb bool
}

func readSettings(value func(string) (string, bool)) (settings, error) {
	s := settings{pollFreq: defaultPollFreq, dtr: true}
	for _, k := range usbOptions {
		if _, ok := value(k); ok {
			s.usb = true
		}
	}
	if v, _ := value("port"); strings.EqualFold(v, "auto") {
		s.usb = true
	}
	if v, ok := value("pollfreq"); ok {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < 1 {
			return s, fmt.Errorf("pollfreq = %q: expected a whole number of seconds, at least 1", v)
		}
		s.pollFreq = time.Duration(n) * time.Second
	}
	if v, ok := value("protocol"); ok {
		if subdriverNamed(v) == nil {
			return s, fmt.Errorf("protocol = %q: not a protocol of this driver (%s)", v, strings.Join(protocolNames(), ", "))
		}
		s.protocol = v
	}
	if v, ok := value("cablepower"); ok {
		p, known := cablePower[strings.ToLower(v)]
		if !known {
			return s, fmt.Errorf("Value '%s' not valid for 'cablepower'", v) // NUT's words
		}
		s.dtr, s.rts = p[0], p[1]
	}
	if v, ok := value("runtimecal"); ok {
		var rh, lh, rl, ll float64
		if n, _ := fmt.Sscanf(strings.ReplaceAll(v, ",", " "), "%g %g %g %g", &rh, &lh, &rl, &ll); n < 4 {
			return s, fmt.Errorf("runtimecal = %q: insufficient parameters, expected runtime,load,runtime,load (seconds and percent at full and at half load)", v)
		}
		if rl < rh || rh <= 0 {
			return s, fmt.Errorf("runtimecal = %q: parameter out of range (runtime)", v)
		}
		if lh > 100 || ll > lh || ll <= 0 {
			return s, fmt.Errorf("runtimecal = %q: parameter out of range (load)", v)
		}
		s.runtimeCal = []float64{rh, lh, rl, ll}
	}
	if v, ok := value("chargetime"); ok {
		if n := atol(v); n <= 0 {
			return s, fmt.Errorf("chargetime = %q: charge time out of range [1..s]", v)
		} else {
			s.chargeTime = float64(n)
		}
	}
	if v, ok := value("idleload"); ok {
		f := strtod(v) / 100
		if f <= 0 || f > 1 {
			return s, fmt.Errorf("idleload = %q: idle load out of range [0..100]", v)
		}
		s.idleLoad = f
	}
	return s, nil
}

// serialOpener opens the port (serial.Open; tests give another).
type serialOpener func(path string, o serial.Options) (serial.Port, error)
