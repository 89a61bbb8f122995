// Package upscmd is NUT's upscmd: it lists a UPS's instant commands and
// runs one, optionally waiting for the driver's result (TRACKING).
package upscmd
