// Package sockserver serves a driver's Unix socket to upsd (and to
// upsdrvctl or sibling drivers): it answers DUMPALL from the state tree,
// passes SET and INSTCMD to the driver, and pushes every change of the
// tree to the connections that want broadcasts.
//
// Each connection has its own bounded output queue and writer, so a slow or
// dead reader never blocks the driver: one that falls too far behind is
// disconnected (it must reconnect and DUMPALL again, which upsd does).
package sockserver
