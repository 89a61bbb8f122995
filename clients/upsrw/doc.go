// Package upsrw is NUT's upsrw: it lists a UPS's writable variables with
// their types and choices, and sets one.
package upsrw
