// Package monitor is upsmon: it watches the UPSes that feed this host
// through upsd, tells people what happens, and shuts the host down when
// too few of its power supplies are safe, with NUT's exact rules.
package monitor
