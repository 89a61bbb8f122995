package qx

import (
	"fmt"
	"math"
	"strings"
)

// battery is what NUT's guesstimation of battery.charge and
// battery.runtime keeps between polls (nutdrv_qx.c's batt and load).
type battery struct {
	packs                          float64 // battery voltage multiplier
	runtimeAct, runtimeNom, estRun float64 // seconds: read, at full load, left at full load
	exp                            float64 // load exponent
	voltAct, voltHigh, voltNom     float64
	voltLow                        float64
	chargeAct                      float64
	chargeTime                     float64 // seconds from empty to full
	loadAct, loadLow, loadEff      float64
	lastPoll                       float64 // seconds (the driver's clock)
	calibrated                     bool    // runtimecal is set
}

// seconds is the clock of the estimate in whole seconds, as NUT counts
// (time_t).
func (d *Driver) seconds() float64 { return float64(d.now().Unix()) }

// batteryVoltage is NUT's qx_battery: the actual voltage, and a charge
// from it when the UPS gives none.
func (d *Driver) batteryVoltage() bool {
	v, ok := d.dev.Tree.Get("battery.voltage")
	if !ok {
		return false
	}
	b := &d.batt
	b.voltAct = b.packs * strtod(v)
	if b.chargeAct == -1 && b.voltLow > 0 && b.voltHigh > b.voltLow {
		b.chargeAct = math.Min(100, math.Max(0, 100*(b.voltAct-b.voltLow)/(b.voltHigh-b.voltLow)))
		d.dev.Tree.Set("battery.charge", fmt.Sprintf("%.0f", b.chargeAct))
	}
	return true
}

// initBattery is NUT's qx_initbattery: voltages, battery packs, and the
// runtime model from runtimecal, chargetime and idleload.
func (d *Driver) initBattery() error {
	b := &d.batt
	*b = battery{packs: 1, runtimeAct: -1, runtimeNom: -1, voltAct: -1, voltHigh: -1, voltNom: -1, voltLow: -1,
		chargeAct: -1, chargeTime: 43200, loadLow: 0.1, loadEff: 1}
	t := d.dev.Tree
	_, hasCharge := t.Get("battery.charge")
	_, hasRuntime := t.Get("battery.runtime")
	if hasCharge && hasRuntime {
		return nil
	}
	read := func(name string, to *float64) {
		if v, ok := t.Get(name); ok {
			*to = strtod(v)
		}
	}
	read("battery.voltage.high", &b.voltHigh)
	read("battery.voltage.low", &b.voltLow)
	read("battery.voltage.nominal", &b.voltNom)
	log := d.dev.Log
	if b.voltNom != -1 && (b.voltLow == -1 || b.voltHigh == -1) {
		log.Info("no values for battery high/low voltages")
		b.voltLow = 104 * b.voltNom / 120
		b.voltHigh = 130 * b.voltNom / 120
		t.Set("battery.voltage.low", fmt.Sprintf("%.2f", b.voltLow))
		t.Set("battery.voltage.high", fmt.Sprintf("%.2f", b.voltHigh))
		log.Info(fmt.Sprintf("using 'guesstimation' (low: %f, high: %f)!", b.voltLow, b.voltHigh))
	}
	if v, ok := t.Get("battery.packs"); ok && strings.Trim(v, "0123456789 .") == "" {
		b.packs = strtod(v)
	} else if d.batteryVoltage() && b.voltNom != -1 {
		// The voltage soon returns to at least nominal after a
		// discharge: of overlapping ranges take the largest count.
		for _, p := range []float64{120, 100, 80, 60, 48, 36, 30, 24, 18, 12, 8, 6, 4, 3, 2, 1, 0.5} {
			if p*b.voltAct > 1.2*b.voltNom {
				continue
			}
			if p*b.voltAct < 0.8*b.voltNom {
				log.Info(fmt.Sprintf("can't autodetect number of battery packs [%.0f/%.2f]", b.voltNom, b.voltAct))
				break
			}
			b.packs = p
			break
		}
	} else {
		log.Info(fmt.Sprintf("can't autodetect number of battery packs [%.0f/%.2f]", b.voltNom, b.voltAct))
	}
	d.batteryVoltage()
	cal := d.set.runtimeCal
	if cal == nil {
		log.Info("battery runtime will not be calculated (runtimecal not set)")
		return nil
	}
	b.calibrated = true
	b.lastPoll = d.seconds()
	rh, lh, rl, ll := cal[0], cal[1], cal[2], cal[3]
	b.exp = math.Log(rl/rh) / math.Log(lh/ll)
	b.runtimeNom = rh * math.Pow(lh/100, b.exp)
	charge, ok := t.Get("battery.charge")
	if !ok && b.voltNom != -1 {
		b.voltLow, b.voltHigh = b.voltNom, 1.15*b.voltNom
		if !d.batteryVoltage() {
			return fmt.Errorf("initial battery charge undetermined: the UPS gives no battery.voltage")
		}
		charge, ok = t.Get("battery.charge")
	}
	if !ok {
		return fmt.Errorf("initial battery charge undetermined: runtimecal needs battery.charge, or battery.voltage and battery.voltage.nominal")
	}
	b.estRun = b.runtimeNom * strtod(charge) / 100
	if d.set.chargeTime > 0 {
		b.chargeTime = d.set.chargeTime
	} else {
		log.Info(fmt.Sprintf("no charge time specified, using built in default [%.0f seconds]", b.chargeTime))
	}
	if d.set.idleLoad > 0 {
		b.loadLow = d.set.idleLoad
	} else {
		log.Info(fmt.Sprintf("no idle load specified, using built in default [%.1f %%]", 100*b.loadLow))
	}
	return nil
}

// estimate is the end of NUT's full walk: the runtime left, from the time
// on battery or charging, corrected by the battery voltage for old
// batteries; or, without runtimecal, the charge from the voltage alone.
func (d *Driver) estimate() {
	b := &d.batt
	if !b.calibrated {
		d.batteryVoltage()
		return
	}
	now := d.seconds()
	if d.status["OL"] {
		b.estRun = math.Min(b.runtimeNom, b.estRun+b.runtimeNom*(now-b.lastPoll)/b.chargeTime)
	} else {
		b.estRun = math.Max(0, b.estRun-b.loadEff*(now-b.lastPoll))
	}
	if v, ok := d.dev.Tree.Get("battery.voltage"); ok {
		b.voltAct = b.packs * strtod(v)
		if b.voltAct > 0 && b.voltLow > 0 && b.voltHigh > b.voltLow {
			c := math.Min(1, math.Max(0, (b.voltAct-b.voltLow)/(b.voltHigh-b.voltLow)))
			if c < b.estRun/b.runtimeNom {
				b.estRun = c * b.runtimeNom
			}
		}
	}
	if b.chargeAct == -1 {
		d.dev.Tree.Set("battery.charge", fmt.Sprintf("%.0f", 100*b.estRun/b.runtimeNom))
	}
	if b.runtimeAct == -1 {
		if v, ok := d.dev.Tree.Get("ups.load"); ok {
			b.loadAct = strtod(v)
			b.loadEff = math.Max(b.loadLow, math.Pow(b.loadAct/100, b.exp))
			d.dev.Tree.Set("battery.runtime", fmt.Sprintf("%.0f", b.estRun/b.loadEff))
		}
	}
	b.lastPoll = now
}
