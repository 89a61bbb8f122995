// Package web is nut-web: it follows UPSes through one or more upsd
// servers (NUT's network protocol; gonut's WATCH feed where upsd offers it,
// polling otherwise) and serves what it sees over HTTP: Prometheus
// metrics named as nut_exporter names them, a status page updated live by
// server-sent events, with history plots drawn on the server, and a JSON
// API shaped as NUT master's upsc -j.
package web
