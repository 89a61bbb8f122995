#!/bin/bash
# Runs INSIDE the nutvm guest as root, in /host, where ./root holds
# `make install DESTDIR=root PREFIX=/usr` of this tree. Checks that the
# units follow nut.conf's MODE as NUT's do (none: nothing; netclient:
# nut-monitor alone; standalone: all), that the running enumerator
# follows MODE edits, and the enumerator's hardened unit (it still adds
# an instance for a new section). Prints PASS/FAIL lines and
# "N passed, N failed".
pass=0 fail=0
check() { local name=$1; shift; if "$@" >/dev/null 2>&1; then echo "PASS: $name"; pass=$((pass+1)); else echo "FAIL: $name"; fail=$((fail+1)); fi; }
state() { systemctl show -P "$2" "$1"; }
waitfor() { local n=$(( $1 * 10 )); shift; while ! "$@" >/dev/null 2>&1; do n=$((n-1)); [ $n -le 0 ] && return 1; sleep 0.1; done; }
# never_ran UNIT: its main process was never started (its ExecCondition said no).
never_ran() { [ "$(state "$1" ActiveState)" = inactive ] && [ "$(state "$1" ExecMainStartTimestampMonotonic)" = 0 ]; }
drivers() { systemctl list-units --state=active --plain --no-legend 'nut-driver@*.service' | wc -l; }
mode() { printf 'MODE=%s\n' "$1" > /etc/nut/nut.conf; }

cp -a root/. /
systemd-sysusers >/dev/null 2>&1
systemd-tmpfiles --create >/dev/null 2>&1
mkdir -p /etc/nut
for u in ups1 ups2; do printf 'ups.status: OL\nbattery.charge: 100\n' > "/etc/nut/$u.dev"; done
printf '[ups1]\n\tdriver = dummy-ups\n\tport = ups1.dev\n' > /etc/nut/ups.conf
printf 'LISTEN 127.0.0.1 3493\n' > /etc/nut/upsd.conf
printf '[monuser]\n\tpassword = pass\n\tupsmon primary\n' > /etc/nut/upsd.users
printf 'MONITOR ups1@localhost 1 monuser pass primary\nMINSUPPLIES 1\nSHUTDOWNCMD "/bin/true"\nPOWERDOWNFLAG /run/nut/killpower\nRUN_AS_USER nut\n' > /etc/nut/upsmon.conf
mode none
chown root:nut /etc/nut/*; chmod 640 /etc/nut/*
systemctl daemon-reload
check "units: systemd-analyze verify (ExecCondition)" systemd-analyze verify /usr/lib/systemd/system/nut-*.service
systemd-analyze verify /usr/lib/systemd/system/nut-*.service 2>&1 | sed 's/^/  verify: /' | head -10
systemctl enable nut-driver-enumerator.service nut-server.service nut-monitor.service nut-driver.target nut.target >/dev/null 2>&1

# MODE=none: nothing runs.
timeout 120 systemctl start nut.target
for u in nut-driver-enumerator nut-server nut-monitor; do
	check "none: $u skipped" never_ran $u.service
done
check "none: no driver instance" test "$(drivers)" = 0
journalctl -u nut-server --no-pager -n 3 | sed 's/^/  journal: /'
# The socket, enabled with nut-server, is kept off by the generator's
# condition: port 3493 is not held, a client is refused, nothing failed.
check "none: nut-server.socket not listening (generator)" test "$(state nut-server.socket ActiveState)" = inactive
check "none: a client is refused" bash -c '! timeout 10 upsc -l 127.0.0.1'
check "none: nut-server never ran, nothing failed" bash -c 'never_ran() { [ "$(systemctl show -P ActiveState "$1")" = inactive ] && [ "$(systemctl show -P ExecMainStartTimestampMonotonic "$1")" = 0 ]; }; never_ran nut-server.service && [ -z "$(systemctl list-units --failed --plain --no-legend "nut*")" ]'
systemctl status nut-server.socket --no-pager 2>&1 | grep -i condition | sed 's/^ */  status: /'

# MODE=netclient: nut-monitor alone.
mode netclient
systemctl daemon-reload
timeout 120 systemctl start nut.target nut-driver-enumerator nut-server nut-monitor
check "netclient: nut-monitor runs" waitfor 30 bash -c '[ "$(systemctl show -P SubState nut-monitor.service)" = running ]'
check "netclient: nut-server skipped" never_ran nut-server.service
check "netclient: the enumerator skipped" never_ran nut-driver-enumerator.service
check "netclient: no driver instance" test "$(drivers)" = 0
check "netclient: nut-server.socket not listening" test "$(state nut-server.socket ActiveState)" = inactive

# MODE=standalone: all of it.
mode standalone
systemctl daemon-reload
systemctl stop nut-monitor
timeout 120 systemctl start nut.target nut-driver-enumerator nut-server nut-monitor
check "standalone: the enumerator runs (hardened)" waitfor 30 bash -c '[ "$(systemctl show -P SubState nut-driver-enumerator.service)" = running ]'
check "standalone: ups1's driver active" waitfor 30 bash -c '[ "$(systemctl show -P ActiveState nut-driver@ups1.service)" = active ]'
check "standalone: upsd serves ups1" waitfor 30 bash -c '[ "$(upsc ups1@127.0.0.1 ups.status 2>/dev/null)" = OL ]'
check "standalone: nut-monitor runs" waitfor 30 bash -c '[ "$(systemctl show -P SubState nut-monitor.service)" = running ]'
# The hardened enumerator still follows ups.conf: a new section gets its
# instance, its drop-in, and upsd (reloaded through D-Bus) serves it.
printf '[ups1]\n\tdriver = dummy-ups\n\tport = ups1.dev\n[ups2]\n\tdriver = dummy-ups\n\tport = ups2.dev\n' > /etc/nut/ups.conf.new
chown root:nut /etc/nut/ups.conf.new; chmod 640 /etc/nut/ups.conf.new; mv /etc/nut/ups.conf.new /etc/nut/ups.conf
check "hardened enumerator: a new section's instance active" waitfor 30 bash -c '[ "$(systemctl show -P ActiveState nut-driver@ups2.service)" = active ]'
check "hardened enumerator: its drop-in written" test -f /run/systemd/system/nut-driver@ups2.service.d/nut-driver-enumerator-generated.conf
check "hardened enumerator: upsd reloaded, serves ups2" waitfor 30 bash -c '[ "$(upsc ups2@127.0.0.1 ups.status 2>/dev/null)" = OL ]'
journalctl -u nut-driver-enumerator --no-pager -n 8 -o cat | sed 's/^/  enumerator: /'
# Hot-plug under the hardened unit: it listens to udev (a netlink
# socket) and lists the USB devices (/sys, /run/udev) without a word of
# trouble; a hub it passes over.
# Its netlink socket is one of the kernel's uevent sockets (protocol 15),
# found by inode in /proc/net/netlink.
uevent_socket() {
	local pid=$(systemctl show -P MainPID nut-driver-enumerator.service) i
	for i in $(ls -l /proc/$pid/fd 2>/dev/null | sed -n 's/.*socket:\[\([0-9]*\)\].*/\1/p'); do
		awk -v i="$i" 'NR > 1 && $2 == 15 && $NF == i { found = 1 } END { exit !found }' /proc/net/netlink && return 0
	done
	return 1
}
check "hardened enumerator: listens to udev (hot-plug on)" bash -c "$(declare -f uevent_socket); ! journalctl -u nut-driver-enumerator --no-pager -o cat | grep -q 'hot-plug off' && uevent_socket"
journalctl -u nut-driver-enumerator --no-pager -o cat | grep -i 'hot-plug\|udev' | head -3 | sed 's/^/  enumerator: /'
udevadm trigger --action=change --subsystem-match=usb >/dev/null 2>&1; udevadm settle
check "hardened enumerator: still runs after udev events" test "$(state nut-driver-enumerator.service SubState)" = running
s=$(systemd-analyze security nut-driver-enumerator.service 2>/dev/null | grep -o 'Overall exposure level for [^:]*: [0-9.]*' | awk '{print $NF}')
check "nut-driver-enumerator exposure <= 4.0 ($s)" awk -v s="$s" 'BEGIN { exit !(s != "" && s + 0 <= 4.0) }'

# The running enumerator follows MODE: netclient withdraws the drivers.
mode netclient
check "MODE edit: the running enumerator withdraws the drivers" waitfor 30 bash -c '[ "$(systemctl list-units --state=active --plain --no-legend "nut-driver@*.service" | wc -l)" = 0 ]'
journalctl -u nut-driver-enumerator --no-pager -n 3 -o cat | sed 's/^/  enumerator: /'

# A MODE that is none of NUT's four fails the unit, saying why.
mode standlone
systemctl restart nut-server.service 2>/dev/null
check "MODE=standlone: nut-server does not run, its condition exited 255" waitfor 10 bash -c '[ "$(systemctl show -P ActiveState nut-server.service)" != active ] && journalctl -u nut-server --no-pager -o cat | grep -q "status=255"'
check "MODE=standlone: the journal names nut.conf and the value" bash -c "journalctl -u nut-server --no-pager -o cat | grep -q 'nut.conf: MODE=standlone: expected one of none, standalone, netserver, netclient'"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
