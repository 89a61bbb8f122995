// Package plainlog is a slog handler that writes messages as NUT's
// programs do: the text alone on a line, with any attributes after it.
// Where lines go (standard error, syslog) adds the time.
package plainlog
