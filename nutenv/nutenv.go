package nutenv

import (
	"os"
	"path/filepath"
)

// Debian's build-time defaults (NUT's CONFPATH, STATEPATH, ALTPIDPATH,
// PIDPATH and DATADIR as Debian 12 configures them).
const (
	DefaultConfPath  = "/etc/nut"
	DefaultStatePath = "/run/nut"
	DefaultPIDPath   = "/run"
	DefaultDataPath  = "/usr/share/nut"
)

// Env reads variables; os.Getenv in programs, a map in tests.
type Env func(key string) string

// OS returns the process environment.
func OS() Env { return os.Getenv }

func (e Env) get(key, def string) string {
	if e != nil {
		if v := e(key); v != "" {
			return v
		}
	}
	return def
}

// ConfPath is where configuration files are: $NUT_CONFPATH or /etc/nut.
func (e Env) ConfPath() string { return e.get("NUT_CONFPATH", DefaultConfPath) }

// ConfFile is the path of one configuration file, such as "ups.conf".
func (e Env) ConfFile(name string) string { return filepath.Join(e.ConfPath(), name) }

// StatePath is where driver sockets are: $NUT_STATEPATH or /run/nut.
func (e Env) StatePath() string { return e.get("NUT_STATEPATH", DefaultStatePath) }

// HotplugDir is where nut-driver-enumerator keeps the ups.conf sections
// it writes for hot-plugged USB devices that no section of ups.conf
// claims, a file each: <statepath>/hotplug. Every reader of ups.conf
// reads them after it (config.LoadAllUPSConf).
func (e Env) HotplugDir() string { return filepath.Join(e.StatePath(), "hotplug") }

// AltPIDPath is where drivers and upsd keep PID files: $NUT_ALTPIDPATH,
// else the state path, as in NUT.
func (e Env) AltPIDPath() string { return e.get("NUT_ALTPIDPATH", e.StatePath()) }

// DataPath is where NUT's data files (cmdvartab, driver.list) are:
// $NUT_DATAPATH or /usr/share/nut.
func (e Env) DataPath() string { return e.get("NUT_DATAPATH", DefaultDataPath) }

// DriverSocket is the path of a driver's socket: <statepath>/<driver>-<ups>.
func (e Env) DriverSocket(driver, ups string) string {
	return DriverSocketIn(e.StatePath(), driver, ups)
}

// DriverSocketIn is the path of a driver's socket in a state directory
// that configuration chose (upsd.conf's or ups.conf's STATEPATH):
// <dir>/<driver>-<ups>. Drivers, upsd, upsdrvctl and the systemd socket
// units all name it so.
func DriverSocketIn(dir, driver, ups string) string {
	return filepath.Join(dir, driver+"-"+ups)
}

// DriverPIDFile is the path of a driver's PID file.
func (e Env) DriverPIDFile(driver, ups string) string {
	return filepath.Join(e.AltPIDPath(), driver+"-"+ups+".pid")
}
