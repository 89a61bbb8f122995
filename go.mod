module gonut

go 1.26

require (
	github.com/coreos/go-systemd/v22 v22.7.0
	github.com/fsnotify/fsnotify v1.10.1
	github.com/google/gousb v1.1.3
	golang.org/x/sys v0.43.0
)

require github.com/godbus/dbus/v5 v5.2.4

require github.com/gosnmp/gosnmp v1.47.0 // indirect
require go.bug.st/serial v1.8.0
