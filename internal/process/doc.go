// Package process holds what a daemon does to its own process: PID
// files, becoming an unprivileged user, and keeping its descriptors from
// what it runs.
package process
