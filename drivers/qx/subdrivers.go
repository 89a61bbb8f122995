package qx

import "strings"

// subdriver is a protocol of the family (NUT's subdriver_t).
type subdriver struct {
	name  string // with its version, as driver.version.data shows it
	claim func(d *Driver) bool
	table func() []item
	init  func(d *Driver) // after the claim (NUT's initups)
	// accepted is the answer of a command done; any other answer is a
	// failure (no answer at all is success). rejected is the answer to
	// a request the UPS does not know.
	accepted, rejected string
}

// protocol is the name ups.conf's protocol takes: the name without its
// version.
func (s *subdriver) protocol() string {
	name, _, _ := strings.Cut(s.name, " ")
	return name
}

// subdrivers are tried in this order, NUT 2.8.0's, each up to three
// times, the first to claim the UPS wins. NUT's list is: Voltronic,
// Voltronic-QS, Voltronic-QS-Hex, Mustek, Megatec/old, BestUPS, Mecer,
// Megatec, Zinto, Masterguard, Hunnox, Ablerex, Q1.
func subdrivers() []*subdriver {
	blazer := func(name, status, vendor string, rating, light bool) *subdriver {
		return &subdriver{name: name, claim: blazerClaim(light), table: func() []item { return blazerTable(status, vendor, rating) },
			init: blazerInit, accepted: "ACK"}
	}
	return []*subdriver{
		{name: "Voltronic 0.06", claim: voltronicClaim, table: voltronicTable, accepted: "ACK", rejected: "(NAK\r"},
		{name: "Voltronic-QS 0.07", claim: voltronicQSClaim, table: voltronicQSTable, init: blazerInit},
		{name: "Voltronic-QS-Hex 0.10", claim: voltronicQSClaim, table: voltronicQSHexTable, init: blazerInit, rejected: "N\r"},
		blazer("Mustek 0.07", "QS\r", "I\r", true, true),
		blazer("Megatec/old 0.07", "D\r", "I\r", true, true),
		{name: "BestUPS 0.06", claim: bestupsClaim, table: bestupsTable, init: bestupsInit},
		{name: "Mecer 0.07", claim: mecerClaim, table: mecerTable, init: blazerInit, accepted: "ACK", rejected: "(NAK\r"},
		blazer("Megatec 0.06", "Q1\r", "I\r", true, false),
		blazer("Zinto 0.06", "Q1\r", "FW?\r", true, false),
		{name: "Masterguard 0.02", claim: masterguardClaim, table: func() []item { return nil }},
		{name: "Hunnox 0.01", claim: blazerClaim(false), table: hunnoxTable, init: blazerInit, accepted: "UPS No Ack"},
		{name: "Ablerex 0.01", claim: blazerClaim(false), table: ablerexTable, init: blazerInit, accepted: "ACK"},
		blazer("Q1 0.07", "Q1\r", "", false, true),
	}
}

// subdriverNamed is the subdriver of a protocol name, any case; nil when
// none.
func subdriverNamed(name string) *subdriver {
	for _, s := range subdrivers() {
		if strings.EqualFold(s.protocol(), name) {
			return s
		}
	}
	return nil
}

func protocolNames() []string {
	var out []string
	for _, s := range subdrivers() {
		out = append(out, strings.ToLower(s.protocol()))
	}
	return out
}
