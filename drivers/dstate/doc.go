// Package dstate is what a driver adds to its state tree: ups.status and
// ups.alarm built as NUT's drivers build them (status_set, alarm_set).
package dstate
