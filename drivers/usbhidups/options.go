package usbhidups

import (
	"fmt"
	"strconv"
	"time"

	"gonut/config"
	"gonut/drivers/core"
	"gonut/drivers/usb"
)

// options are usbhid-ups's own ups.conf keys, in NUT 2.8.0's order and
// words (its upsdrv_makevartable and libusb1.c's nut_usb_addvars), and
// subdriver, which NUT 2.8.1 added.
// ignorelb is the core's. maxreport changes nothing here: NUT's tweak
// asks a report for no more than its declared length, which is all this
// driver ever asks.
func options() config.UPSKeys {
	keys := config.UPSKeys{
		config.DriverOption("lowbatt", "Set low battery level, in % (default=30)"),
		config.DriverOption("offdelay", "Set shutdown delay, in seconds (default=20)"),
		config.DriverOption("ondelay", "Set startup delay, in seconds (default=30)"),
		config.DriverOption("pollfreq", "Set polling frequency, in seconds, to reduce data flow (default=30)"),
		config.DriverFlag("pollonly", "Don't use interrupt pipe, only use polling"),
		config.DriverFlag("onlinedischarge", "Set to treat discharging while online as being offline"),
	}
	keys = append(keys, usb.MatchOptions()...)
	return append(keys,
		// NUT calls libusb_set_interface_alt_setting with it, and logs that
		// it "should not be necessary"; gonut takes it and does not.
		config.DriverOption("usb_set_altinterface", "Force redundant call to usb_set_altinterface() (value=bAlternateSetting; default=0)"),
		config.DriverFlag("explore", "Diagnostic matching of unsupported UPS"),
		config.DriverFlag("maxreport", "Activate tweak for buggy APC Back-UPS firmware"),
		config.DriverFlag("interruptonly", "Don't use polling, only use interrupt pipe"),
		config.DriverOption("interruptsize", "Number of bytes to read from interrupt pipe"),
		config.DriverOption("subdriver", "Explicit USB HID subdriver selection").AsExtra(),
	)
}

// settings are the options as the driver uses them.
type settings struct {
	pollFreq        time.Duration
	pollOnly        bool
	interruptOnly   bool
	interruptSize   int
	onlineDischarge bool
	explore         bool
	productID       bool   // a productid is given
	lowBatt         string // "": not given
	offDelay        string
	onDelay         string
	subdriver       string
}

func readSettings(dev *core.Device) (settings, error) {
	s := settings{pollFreq: 30 * time.Second, offDelay: "20", onDelay: "30",
		pollOnly: dev.Flag("pollonly"), interruptOnly: dev.Flag("interruptonly"),
		onlineDischarge: dev.Flag("onlinedischarge"), explore: dev.Flag("explore")}
	num := func(key string, min int) (int, bool, error) {
		v, ok := dev.Value(key)
		if !ok {
			return 0, false, nil
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < min {
			return 0, false, fmt.Errorf("%s = %q: expected a whole number, at least %d", key, v, min)
		}
		return n, true, nil
	}
	if n, ok, err := num("pollfreq", 1); err != nil {
		return s, err
	} else if ok {
		s.pollFreq = time.Duration(n) * time.Second
	}
	if n, ok, err := num("interruptsize", 1); err != nil {
		return s, err
	} else if ok {
		s.interruptSize = n
	}
	if n, ok, err := num("lowbatt", 0); err != nil {
		return s, err
	} else if ok {
		s.lowBatt = strconv.Itoa(n)
	}
	if n, ok, err := num("offdelay", 0); err != nil {
		return s, err
	} else if ok {
		s.offDelay = strconv.Itoa(n)
	}
	if _, ok, err := num("usb_set_altinterface", 0); err != nil {
		return s, err
	} else if ok {
		dev.Log.Warn("usb_set_altinterface: gonut's usbhid-ups does not need it, and ignores it")
	}
	if n, ok, err := num("ondelay", 0); err != nil {
		return s, err
	} else if ok {
		s.onDelay = strconv.Itoa(n)
	}
	s.subdriver, _ = dev.Value("subdriver")
	_, s.productID = dev.Value("productid")
	if _, ok := dev.Value("vendorid"); s.explore && !ok {
		return s, fmt.Errorf("must specify \"vendorid\" when using \"explore\"") // NUT's words
	}
	return s, nil
}
