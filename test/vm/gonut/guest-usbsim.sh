#!/bin/bash
# Runs INSIDE the nutvm guest as root, in /host, which holds:
#   bin/usbsim bin/upsd bin/upsc bin/upscmd bin/upsrw   static builds of this tree
#   bin/usbhid-ups                            ours: a cgo build (libusb)
#   nut/usbhid-ups                            Debian 12's NUT 2.8.0 driver
#   bin/nutdrv_qx bin/nut-scanner             ours: cgo builds (libusb)
#   nut/nutdrv_qx nut/nut-scanner nut/lib/    Debian's, with libnutscan and libltdl
#   devices/*.usbdev                          the simulated UPSes (test/usbsim/devices)
# The USB simulator serves the UPS over USB/IP on the guest's loopback;
# `usbip attach` brings it in through vhci-hcd, so the kernel, udev, libusb
# and Debian's usbhid-ups see a real USB device. Prints PASS/FAIL lines and
# "N passed, N failed".
pass=0 fail=0
# check NAME CMD...: a PASS or FAIL line; a failure shows the end of what CMD said
check() {
	local name=$1 out; shift
	if out=$("$@" 2>&1); then echo "PASS: $name"; pass=$((pass+1)); return; fi
	echo "FAIL: $name"; fail=$((fail+1))
	[ -z "$out" ] || printf '%s\n' "$out" | tail -n 3 | sed 's/^/  | /'
}
# waitfor SECONDS CMD...: retry every 0.1 s until SECONDS have passed
waitfor() { local end=$(( SECONDS + $1 )) out; shift; until out=$("$@" 2>&1); do [ $SECONDS -ge $end ] && { printf '%s\n' "$out"; return 1; }; sleep 0.1; done; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
# Every client is bounded: a hung peer fails its check, not the whole run.
ctl() { timeout 45 /host/bin/usbsim -c /run/usbsim.sock "$@"; }
# Clients get 20 s: a loaded host slows the emulated guest down (a 5 s
# upsc came back empty at a load average of 15).
ups() { timeout 20 /host/bin/upsc apc@127.0.0.1 "$@" 2>&1; }
# is VAR VALUE [VAR VALUE...]: upsc shows each VAR with its VALUE
is() { local v; while [ $# -ge 2 ]; do v=$(ups "$1"); [ "$v" = "$2" ] || { echo "$1: $v"; return 1; }; shift 2; done; }
export PATH=/host/bin:$PATH

dir=/run/nut-usbsim
mkdir -p "$dir/etc" "$dir/state"
chmod 770 "$dir/state"
export NUT_CONFPATH=$dir/etc NUT_STATEPATH=$dir/state NUT_ALTPIDPATH=$dir/state
# One section a simulated device; NUT's default pollinterval, 2 s.
for u in apc:051d:0002 cps:0764:0501 eaton:0463:ffff tripplite:09ae:3016; do
	IFS=: read -r n v p <<<"$u"
	printf '[%s]\n\tdriver = usbhid-ups\n\tport = auto\n\tvendorid = %s\n\tproductid = %s\n\tpollinterval = 2\n' "$n" "$v" "$p"
done >"$dir/etc/ups.conf"
# nutdrv_qx on a simulated USB-serial bridge: the Megatec protocol named
# (autodetection tries a dozen protocols, three times each), and polls a
# minute apart, so that a command's transfers come alone.
printf '[qx]\n\tdriver = nutdrv_qx\n\tport = auto\n\tprotocol = megatec\n\tpollinterval = 60\n' >>"$dir/etc/ups.conf"
printf 'LISTEN 127.0.0.1 3493\n' >"$dir/etc/upsd.conf"
printf '[admin]\n\tpassword = secret\n\tinstcmds = ALL\n\tactions = SET\n' >"$dir/etc/upsd.users"
chmod 640 "$dir"/etc/*

check "modprobe vhci-hcd" modprobe vhci-hcd
/host/bin/usbsim -dev /host/devices/apc-back-ups-xs-1400u.usbdev -listen 127.0.0.1:3240 -control /run/usbsim.sock -v 2>/run/usbsim.log &
sim=$!
check "usbip list -r 127.0.0.1 sees the simulator" waitfor 20 bash -c 'usbip list -r 127.0.0.1 | grep -q 051d:0002'
usbip list -r 127.0.0.1 2>&1 | sed 's/^/  /'
t0=$(now)
check "usbip attach -r 127.0.0.1 -b 1-1" timeout 30 usbip attach -r 127.0.0.1 -b 1-1
check "lsusb -d 051d:0002 sees it" waitfor 20 bash -c 'lsusb -d 051d:0002 | grep -q "ID 051d:0002"'
echo "  attach -> lsusb in $(elapsed "$t0") s"
lsusb -d 051d:0002 | sed 's/^/  /'
check "lsusb -v reads its strings and HID descriptor" bash -c 'v=$(timeout 20 lsusb -v -d 051d:0002 2>/dev/null); grep -q "iProduct.*Back-UPS XS 1400U" <<<"$v" && grep -q "iSerial.*3B0000X00000" <<<"$v" && grep -q "wDescriptorLength *1028" <<<"$v"'
busdev=$(lsusb -d 051d:0002 | awk '{ sub(":", "", $4); print $2 "/" $4 }')
check "udev made its USB device node (/dev/bus/usb/$busdev)" waitfor 10 test -c "/dev/bus/usb/$busdev"
# hidraw: the node udev made for the simulated UPS's HID interface, if any
hidraw() { local h; h=$(grep -l 'HID_ID=0003:0000051D:00000002' /sys/class/hidraw/*/device/uevent 2>/dev/null | head -1 | cut -d/ -f5); [ -n "$h" ] && [ -c "/dev/$h" ] && echo "/dev/$h"; }
check "the kernel's usbhid bound it, udev made its hidraw node" waitfor 10 hidraw
echo "  hidraw node: $(hidraw)"

/host/nut/usbhid-ups -a apc -u root -F -DD >/run/usbhid-ups.log 2>&1 &
driver=$!
upsd -u root -F >/run/upsd.log 2>&1 &
t0=$(now)
# ups.status comes once the driver's first walk of the UPS is done.
check "usbhid-ups reads the UPS: ups.status OL" waitfor 60 is ups.status OL
echo "  driver start -> upsc answers in $(elapsed "$t0") s"
check "battery.charge 100" waitfor 10 is battery.charge 100
check "ups.mfr, ups.model, ups.firmware, ups.serial from the strings" waitfor 10 is ups.mfr "American Power Conversion" ups.model "Back-UPS XS 1400U" ups.firmware "926.T1 .I" ups.serial 3B0000X00000
check "battery.runtime 1464, ups.load 16, battery.type PbAc" waitfor 10 is battery.runtime 1464 ups.load 16 battery.type PbAc
ups | sed 's/^/  upsc: /'

# Mains lost: the UPS's state changes (feature reports) and it says so on
# its interrupt pipe; `input` answers once the driver took the report.
ctl set feature 06 06 00 01 08
ctl set feature 13 13 00
ctl set feature 16 16 0a 00 00 00
ctl set feature 7a 7a 0a 00 00 00
t0=$(now)
check "mains lost: the driver took the interrupt report" ctl input 16 16 0a 00 00 00
check "mains lost: ups.status OB DISCHRG" waitfor 20 is ups.status "OB DISCHRG"
echo "  input report -> upsc OB in $(elapsed "$t0") s"
check "mains lost: usbhid-ups handled it as interrupt events" grep -q "Got [1-9][0-9]* HID objects" /run/usbhid-ups.log
# Charge falling.
ctl set feature 0c 0c 32 10 01
ctl set feature 22 22 32
ctl set feature 23 23 10 01
check "charge falling: the driver took the interrupt report" ctl input 0c 0c 32 10 01
check "charge falling: battery.charge 50, battery.runtime 272" waitfor 40 is battery.charge 50 battery.runtime 272
# A command received: SET_REPORT of the beeper's feature report.
ctl clear-log
check "upscmd beeper.disable" timeout 10 upscmd -u admin -p secret apc@127.0.0.1 beeper.disable
check "the simulator got SET_REPORT feature 18: 18 01" waitfor 10 bash -c 'timeout 20 /host/bin/usbsim -c /run/usbsim.sock log | grep -qx "feature 18: 18 01"'
ctl log | sed 's/^/  SET_REPORT /'
check "ups.beeper.status disabled" waitfor 40 is ups.beeper.status disabled

# Unplugged: the simulator drops the USB/IP connection.
t0=$(now)
check "detach" ctl detach
check "detach: lsusb no longer sees it" waitfor 20 bash -c '! lsusb -d 051d:0002 | grep -q 051d'
check "detach: the driver notices (upsd: data stale)" waitfor 30 bash -c 'timeout 20 /host/bin/upsc apc@127.0.0.1 ups.status 2>&1 | grep -q "Data stale"'
echo "  detach -> data stale in $(elapsed "$t0") s"
check "detach: the driver keeps running, to reconnect" kill -0 "$driver"
# Plugged in again: the driver finds it and reads it again (state kept:
# still on battery).
t0=$(now)
check "attach again" timeout 30 usbip attach -r 127.0.0.1 -b 1-1
check "attach again: the driver reads it again" waitfor 60 is ups.status "OB DISCHRG"
echo "  attach -> upsc answers again in $(elapsed "$t0") s"

# The differential: gonut's usbhid-ups (bin/usbhid-ups, a cgo build that
# links the guest's libusb as Debian's does) against the same simulated
# UPS, in the same state, through the same upsd: upsc must show what it
# showed for Debian's, but for driver.version (gonut's own).
waitfor 10 is ups.status "OB DISCHRG" >/dev/null
ups | grep -v '^driver\.version: ' | sort >/run/debian.upsc
kill "$driver" 2>/dev/null; wait "$driver" 2>/dev/null
isnt() { ! is "$@"; }
check "Debian's usbhid-ups stopped: upsd no longer shows its data" waitfor 20 isnt ups.status "OB DISCHRG"
check "ours: ldd finds every library (libusb, libudev, libc)" bash -c '! ldd /host/bin/usbhid-ups | grep -q "not found"'
/host/bin/usbhid-ups -a apc -u root -F -DD >/run/ours.log 2>&1 &
driver=$!
t0=$(now)
check "ours: usbhid-ups reads the UPS: ups.status OB DISCHRG" waitfor 60 is ups.status "OB DISCHRG"
echo "  ours: driver start -> upsc answers in $(elapsed "$t0") s"
ups | grep -v '^driver\.version: ' | sort >/run/ours.upsc
check "ours: upsc shows what it showed with Debian's usbhid-ups" diff /run/debian.upsc /run/ours.upsc
# Mains back, said on the interrupt pipe only: ours again with -i 60,
# so that no poll is due (a poll would read the feature reports, still OB).
kill "$driver" 2>/dev/null; wait "$driver" 2>/dev/null
/host/bin/usbhid-ups -a apc -u root -F -DD -i 60 >>/run/ours.log 2>&1 &
driver=$!
check "ours with -i 60: ups.status OB DISCHRG" waitfor 60 is ups.status "OB DISCHRG" driver.parameter.pollinterval 60
t0=$(now)
check "ours: the driver took the interrupt report (OL)" ctl input 16 16 0c 00 00 00
check "ours: interrupt report -> ups.status OL" waitfor 20 is ups.status OL
echo "  ours: input report -> upsc OL in $(elapsed "$t0") s"


# A device that stops answering, and one unplugged: ours (polling every
# 2 s again) marks the data stale, logs it once each time, and carries on
# in the same process when the device answers again.
kill "$driver" 2>/dev/null; wait "$driver" 2>/dev/null
# Mains back in the feature reports too (the device file's values).
for r in "06 06 00 00 08" "13 13 01" "16 16 0c 00 00 00" "7a 7a 0c 00 00 00"; do ctl set feature $r >/dev/null; done
/host/bin/usbhid-ups -a apc -u root -F -DD >/run/ours-stale.log 2>&1 &
driver=$!
check "ours: ups.status OL" waitfor 60 is ups.status OL
stale() { timeout 20 /host/bin/upsc apc@127.0.0.1 ups.status 2>&1 | grep -q "Data stale"; }
# staleonce N: the driver logged "data is stale" N times in all, and still runs as $driver
staleonce() { local n; n=$(grep -c "data is stale" /run/ours-stale.log); [ "$n" = "$1" ] || { echo "logged $n times"; return 1; }; kill -0 "$driver"; }
for how in stall mute; do
	t0=$(now)
	check "ours, $how: the simulator stops answering" ctl $how on
	check "ours, $how: upsc says Data stale" waitfor 40 stale
	echo "  ours, $how -> data stale in $(elapsed "$t0") s"
	sleep 6 # several polls fail meanwhile
	check "ours, $how: the data stays stale" stale
	t0=$(now)
	check "ours, $how: the simulator answers again" ctl $how off
	check "ours, $how: upsc answers again (ups.status OL)" waitfor 40 is ups.status OL
	echo "  ours, $how off -> upsc answers in $(elapsed "$t0") s"
done
check "ours: stall then mute logged once each, same process (PID $driver)" staleonce 2
t0=$(now)
check "ours, unplugged: detach" ctl detach
check "ours, unplugged: upsc says Data stale" waitfor 30 stale
check "ours, replugged: attach again" timeout 30 usbip attach -r 127.0.0.1 -b 1-1
check "ours, replugged: upsc answers again (ups.status OL)" waitfor 60 is ups.status OL
echo "  ours: detach -> attach -> upsc answers again in $(elapsed "$t0") s"
check "ours: the unplug logged once more, same process (PID $driver)" staleonce 3
kill "$driver" 2>/dev/null; wait "$driver" 2>/dev/null
ctl detach >/dev/null
waitfor 20 bash -c '! lsusb -d 051d:0002 | grep -q 051d' >/dev/null
kill "$sim" 2>/dev/null; wait "$sim" 2>/dev/null

# The differential, one vendor at a time: each device served fresh, read
# by Debian's usbhid-ups and then by ours, through the same upsd. upsc
# (but driver.version, gonut's own), upsrw and upscmd -l must show the
# same, and an instant command and a SET must reach the simulator as the
# same SET_REPORT bytes. The simulator starts again for each driver, so
# that both find the device as its file has it.
# vendor NAME FILE VID:PID COMMAND VAR=VALUE
vendor() {
	local n=$1 file=$2 id=$3 cmd=$4 set=$5 who bin drv what
	for who in debian ours; do
		bin=/host/nut/usbhid-ups; [ $who = ours ] && bin=/host/bin/usbhid-ups
		/host/bin/usbsim -dev "$file" -listen 127.0.0.1:3240 -control /run/usbsim.sock -v 2>"/run/usbsim-$n-$who.log" &
		sim=$!
		check "$n, $who: usbip list sees $id" waitfor 20 bash -c "usbip list -r 127.0.0.1 | grep -q $id"
		check "$n, $who: usbip attach" timeout 30 usbip attach -r 127.0.0.1 -b 1-1
		check "$n, $who: lsusb sees it" waitfor 20 bash -c "lsusb -d $id | grep -q $id"
		$bin -a "$n" -u root -F -DD >"/run/$n-$who.log" 2>&1 &
		drv=$!
		check "$n, $who: upsc shows ups.status" waitfor 60 bash -c "timeout 20 /host/bin/upsc $n@127.0.0.1 ups.status >/dev/null 2>&1"
		sleep 3 # a poll or two more: nothing may change
		{ timeout 20 upsc "$n@127.0.0.1" | grep -v '^driver\.version: '; } >"/run/$n-$who.upsc" 2>&1
		timeout 20 upsrw "$n@127.0.0.1" >"/run/$n-$who.upsrw" 2>&1
		timeout 20 upscmd -l "$n@127.0.0.1" >"/run/$n-$who.upscmd" 2>&1
		ctl clear-log >/dev/null
		check "$n, $who: upscmd $cmd" timeout 15 upscmd -u admin -p secret "$n@127.0.0.1" "$cmd"
		check "$n, $who: $cmd reached the simulator" waitfor 10 bash -c 'timeout 20 /host/bin/usbsim -c /run/usbsim.sock log | grep -q .'
		sleep 1; ctl log >"/run/$n-$who.cmdlog"
		ctl clear-log >/dev/null
		check "$n, $who: upsrw -s $set" timeout 15 upsrw -u admin -p secret -s "$set" "$n@127.0.0.1"
		check "$n, $who: the SET reached the simulator" waitfor 10 bash -c 'timeout 20 /host/bin/usbsim -c /run/usbsim.sock log | grep -q .'
		sleep 1; ctl log >"/run/$n-$who.setlog"
		kill "$drv" 2>/dev/null; wait "$drv" 2>/dev/null
		ctl detach >/dev/null
		waitfor 20 bash -c "! lsusb -d $id | grep -q $id" >/dev/null
		kill "$sim" 2>/dev/null; wait "$sim" 2>/dev/null
	done
	sed "s/^/  $n: upsc: /" "/run/$n-ours.upsc"
	# Two failures alike would compare equal: each listing must be one.
	check "$n: upsc, upsrw and upscmd -l listed the UPS" bash -c "grep -q '^ups.status: ' /run/$n-debian.upsc && grep -q '^\[' /run/$n-debian.upsrw && grep -q '^Instant commands supported' /run/$n-debian.upscmd && grep -q '^feature ' /run/$n-debian.cmdlog && grep -q '^feature ' /run/$n-debian.setlog"
	for what in upsc upsrw upscmd cmdlog setlog; do
		check "$n: $what the same from both drivers" diff "/run/$n-debian.$what" "/run/$n-ours.$what"
		cmp -s "/run/$n-debian.$what" "/run/$n-ours.$what" || diff "/run/$n-debian.$what" "/run/$n-ours.$what" | sed "s/^/  $n: $what: /"
	done
	sed "s/^/  $n: upscmd $cmd: SET_REPORT /" "/run/$n-ours.cmdlog"
	sed "s/^/  $n: upsrw -s $set: SET_REPORT /" "/run/$n-ours.setlog"
}
vendor apc /host/devices/apc-back-ups-xs-1400u.usbdev 051d:0002 beeper.disable battery.charge.low=20
vendor cps /host/devices/cps-cp1500avrlcda.usbdev 0764:0501 beeper.disable battery.runtime.low=600
vendor eaton /host/devices/eaton-5sc-750.usbdev 0463:ffff beeper.disable ups.start.auto=no
vendor tripplite /host/devices/tripplite-3016.usbdev 09ae:3016 beeper.disable input.transfer.low=90

# nutdrv_qx's USB-serial bridges, one at a time: the simulator serves a
# bridge (test/usbsim/qxbridge) with a Megatec UPS behind it; Debian's
# nutdrv_qx and then ours read it through the same upsd. upsc (but
# driver.version) and upscmd -l must show the same, shutdown.stop (C)
# must reach the UPS in the same transfers, and Debian's nut-scanner -U
# and ours must print the same section for the device.
# bridge NAME VID:PID
bridge() {
	local n=$1 id=$2 who bin drv what
	/host/bin/usbsim -qx "$n" -listen 127.0.0.1:3240 -control /run/usbsim.sock -v 2>"/run/usbsim-qx-$n.log" &
	sim=$!
	check "qx $n: usbip list sees $id" waitfor 20 bash -c "usbip list -r 127.0.0.1 | grep -q $id"
	check "qx $n: usbip attach" timeout 30 usbip attach -r 127.0.0.1 -b 1-1
	check "qx $n: lsusb sees it" waitfor 20 bash -c "lsusb -d $id | grep -q $id"
	LD_LIBRARY_PATH=/host/nut/lib timeout 60 /host/nut/nut-scanner -U -q >"/run/qx-$n-debian.scan" 2>&1
	timeout 60 /host/bin/nut-scanner -U -q >"/run/qx-$n-ours.scan" 2>&1
	for who in debian ours; do
		bin=/host/nut/nutdrv_qx; [ $who = ours ] && bin=/host/bin/nutdrv_qx
		$bin -a qx -u root -F -DDD >"/run/qx-$n-$who.log" 2>&1 &
		drv=$!
		check "qx $n, $who: upsc shows ups.status" waitfor 90 bash -c "timeout 20 /host/bin/upsc qx@127.0.0.1 ups.status >/dev/null 2>&1"
		{ timeout 20 upsc qx@127.0.0.1 | grep -v '^driver\.version: '; } >"/run/qx-$n-$who.upsc" 2>&1
		timeout 20 upscmd -l qx@127.0.0.1 >"/run/qx-$n-$who.upscmd" 2>&1
		ctl clear-log >/dev/null
		check "qx $n, $who: upscmd shutdown.stop" timeout 15 upscmd -u admin -p secret qx@127.0.0.1 shutdown.stop
		check "qx $n, $who: shutdown.stop reached the UPS (C)" waitfor 10 bash -c 'timeout 20 /host/bin/usbsim -c /run/usbsim.sock requests | grep -qx C'
		sleep 2; ctl log >"/run/qx-$n-$who.cmdlog"
		kill "$drv" 2>/dev/null; wait "$drv" 2>/dev/null
	done
	ctl detach >/dev/null
	waitfor 20 bash -c "! lsusb -d $id | grep -q $id" >/dev/null
	kill "$sim" 2>/dev/null; wait "$sim" 2>/dev/null
	sed "s/^/  qx $n: upsc: /" "/run/qx-$n-ours.upsc"
	check "qx $n: upsc and upscmd -l listed the UPS, nut-scanner found it" bash -c "grep -q '^ups.status: ' /run/qx-$n-debian.upsc && grep -q '^Instant commands supported' /run/qx-$n-debian.upscmd && grep -q 'driver = ' /run/qx-$n-debian.scan"
	if [ "$n" = hunnox ]; then
		# Hunnox's bridge reads one of three other strings before each
		# request, in turn: which one depends on how many requests came
		# before, and NUT's main polls twice at start where gonut's core
		# polls once. The command's own string is compared.
		for who in debian ours; do tail -n 1 "/run/qx-$n-$who.cmdlog" >"/run/qx-$n-$who.cmd1" && mv "/run/qx-$n-$who.cmd1" "/run/qx-$n-$who.cmdlog"; done
	fi
	for what in upsc upscmd cmdlog scan; do
		check "qx $n: $what the same from both" diff "/run/qx-$n-debian.$what" "/run/qx-$n-ours.$what"
		cmp -s "/run/qx-$n-debian.$what" "/run/qx-$n-ours.$what" || diff "/run/qx-$n-debian.$what" "/run/qx-$n-ours.$what" | sed "s/^/  qx $n: $what: /"
	done
	sed "s/^/  qx $n: shutdown.stop: /" "/run/qx-$n-ours.cmdlog"
}
# One bridge of each way of carrying a request: a report on the control
# pipe read back on interrupt IN (cypress), string descriptors (krauler),
# a control request of its own (ippon) and interrupt OUT (fuji). Each
# costs about a minute emulated, and make check must stay under 20 on
# CI: hunnox, armac, phoenix and fabula (passed here against Debian's
# before) are left to the host tests of each bridge's bytes.
bridge cypress 0665:5161
bridge krauler 0001:0000
bridge ippon 06da:0003
bridge fuji 0001:0000

if [ "$fail" != 0 ]; then
	echo "--- upsc, Debian's driver then ours:"; diff /run/debian.upsc /run/ours.upsc | sed 's/^/  /'
	echo "--- ours:"; tail -n 30 /run/ours.log | sed 's/^/  /'

	echo "--- usbhid-ups:"; head -n 60 /run/usbhid-ups.log | sed 's/^/  /'; echo "  ..."; grep -n "HID objects\|Path: UPS.PowerSummary.RemainingCapacity\|RunTimeToEmpty\|reconnect\|Got disconnected\|Data stale" /run/usbhid-ups.log | head -n 40 | sed 's/^/  /'
	echo "  ..."; tail -n 20 /run/usbhid-ups.log | sed 's/^/  /'
	echo "--- ours, stalled and muted:"; tail -n 20 /run/ours-stale.log | sed 's/^/  /'
	for f in /run/*-ours.log; do echo "--- $f:"; tail -n 8 "$f" | sed 's/^/  /'; done
	for f in /run/qx-*-debian.log; do echo "--- $f:"; grep -v "^ *[0-9.]* *\(send\|read\)" "$f" | tail -n 12 | sed 's/^/  /'; done
	echo "--- upsd:"; tail -n 15 /run/upsd.log | sed 's/^/  /'
	echo "--- usbsim:"; tail -n 60 /run/usbsim.log | sed 's/^/  /'
	echo "--- kernel:"; dmesg | tail -n 30 | sed 's/^/  /'
fi
echo "  usbsim: $(grep -c ' control ' /run/usbsim.log) control transfers"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
