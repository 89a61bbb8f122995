package apcsmart

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gonut/config"
	"gonut/drivers/core"
)

// altCable is the dual-mode cable that needs DTR on and RTS off.
const altCable = "940-0095B"

// options are apcsmart's ups.conf keys, in NUT 2.8.0's order and words.
func options() config.UPSKeys {
	return config.UPSKeys{
		config.DriverOption("ttymode", "tty discipline selection"),
		config.DriverOption("cable", "alternate cable (940-0095B) selection"),
		config.DriverOption("awd", "hard hibernate's additional wakeup delay"),
		config.DriverOption("sdtype", "simple shutdown method"),
		config.DriverOption("advorder", "advanced shutdown control"),
		config.DriverOption("cshdelay", "CS hack delay"),
	}
}

// The shapes NUT checks the options against (apcsmart.h).
var (
	awdShape      = regexp.MustCompile(`^[0-9]{1,3}$`)
	sdtypeShape   = regexp.MustCompile(`^[0-5]$`)
	advorderShape = regexp.MustCompile(`^([0-4]{1,5}|[Nn][Oo])$`)
	cshdelayShape = regexp.MustCompile(`^([0-9]\.?|[0-9]?\.[0-9])$`)
)

// settings are the options as the driver uses them.
type settings struct {
	altCable bool
	awd      string        // "" none
	sdtype   int           // 0-5
	advorder string        // digits 0-4; "" none (or "no")
	cshdelay time.Duration // default 3.5 s
}

func readSettings(dev *core.Device) (settings, error) {
	s := settings{cshdelay: 3500 * time.Millisecond}
	check := func(key string, shape *regexp.Regexp, what string) (string, error) {
		v, ok := dev.Value(key)
		if ok && !shape.MatchString(v) {
			return "", fmt.Errorf("%s = %q: expected %s", key, v, what)
		}
		return v, nil
	}
	var err error
	if s.awd, err = check("awd", awdShape, "1 to 3 digits (units of 6 minutes)"); err != nil {
		return s, err
	}
	v, err := check("sdtype", sdtypeShape, "one digit, 0 to 5")
	if err != nil {
		return s, err
	}
	if v != "" {
		s.sdtype = int(v[0] - '0')
	}
	if s.advorder, err = check("advorder", advorderShape, `"no" or 1 to 5 digits, each 0 to 4`); err != nil {
		return s, err
	}
	if strings.EqualFold(s.advorder, "no") {
		s.advorder = ""
	}
	if v, err = check("cshdelay", cshdelayShape, "seconds from 0 to 9.9, one decimal at most"); err != nil {
		return s, err
	}
	if v != "" {
		f, _ := strconv.ParseFloat(v, 64)
		s.cshdelay = time.Duration(f * float64(time.Second))
	}
	if v, ok := dev.Value("cable"); ok {
		s.altCable = strings.EqualFold(v, altCable)
	}
	return s, nil
}
