// Package upssched is NUT's upssched: run as upsmon's NOTIFYCMD, it acts
// on upssched.conf's AT lines for the event (NOTIFYTYPE) and UPS
// (UPSNAME): EXECUTE a command through CMDSCRIPT now, or START-TIMER and
// CANCEL-TIMER timers kept by a small daemon on PIPEFN, which runs
// CMDSCRIPT with the timer's name when one expires and exits when none
// is left.
package upssched
