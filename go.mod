module gonut

go 1.26

require (
	github.com/coreos/go-systemd/v22 v22.7.0
	github.com/fsnotify/fsnotify v1.10.1
	github.com/godbus/dbus/v5 v5.2.4
	github.com/gosnmp/gosnmp v1.47.0
	github.com/jochenvg/go-udev v0.0.0-20240801134859-b65ed646224b
	go.bug.st/serial v1.8.0
	golang.org/x/sys v0.43.0
)

require github.com/jkeiser/iter v0.0.0-20200628201005-c8aa0ae784d1 // indirect
