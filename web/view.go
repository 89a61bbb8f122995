package web

import (
	"strconv"
	"strings"
)

// View is what the page shows of a UPS, sent as JSON in each event.
type View struct {
	Key     string `json:"key"`
	State   string `json:"state"`
	Status  string `json:"status"`
	Charge  string `json:"charge"`
	Runtime string `json:"runtime"`
	Load    string `json:"load"`
	Input   string `json:"input"`
	Output  string `json:"output"`
	Err     string `json:"error"`
	Model   string `json:"model"`
	Version uint64 `json:"version"`
}

// stateWords say what the state words mean.
var stateWords = map[string]string{
	"OL": "on line", "OB": "on battery", "LB": "low battery", "FSD": "forced shutdown", "stale": "no fresh data",
}

// view is a UPS as the page shows it.
func view(u *UPS) View {
	unit := func(name, suffix string) string {
		if v := u.Var(name); v != "" {
			return v + suffix
		}
		return "–"
	}
	rt := "–"
	if f, err := strconv.ParseFloat(u.Var("battery.runtime"), 64); err == nil && f >= 0 && f < 1e9 {
		s := int(f)
		rt = strconv.Itoa(s/60) + " min " + strconv.Itoa(s%60) + " s"
	}
	model := strings.TrimSpace(u.Var("device.mfr") + " " + u.Var("device.model"))
	if model == "" {
		model = strings.TrimSpace(u.Var("ups.mfr") + " " + u.Var("ups.model"))
	}
	return View{
		Key: u.Key, State: u.State(), Status: u.Var("ups.status"),
		Charge: unit("battery.charge", " %"), Runtime: rt, Load: unit("ups.load", " %"),
		Input: unit("input.voltage", " V"), Output: unit("output.voltage", " V"),
		Err: u.Err, Model: model, Version: u.Version,
	}
}

// Words is what a state word means ("" for others).
func (v View) Words() string { return stateWords[v.State] }
