#!/bin/bash
# Runs INSIDE the nutvm guest as root, in /host, which holds:
#   root/          make install DESTDIR=root PREFIX=/usr of this tree, with
#                  nut-driver-enumerator and usbhid-ups built with cgo
#                  (libudev, libusb: the guest's Debian 12 libraries)
#   bin/usbsim     the USB simulator (static)
#   dev/*.usbdev   the simulated devices
# (test/vm/gonut/hotplug.go puts them there.)
# USB hot-plug under systemd and udev: simulated UPSes served over USB/IP
# on the guest's loopback (one address each), attached and detached with
# usbip through vhci-hcd, and nut-driver-enumerator starting and stopping
# their drivers. Prints PASS/FAIL lines and "N passed, N failed".
pass=0 fail=0
check() {
	local name=$1 out; shift
	if out=$("$@" 2>&1); then echo "PASS: $name"; pass=$((pass+1)); return; fi
	echo "FAIL: $name"; fail=$((fail+1))
	[ -z "$out" ] || printf '%s\n' "$out" | tail -n 3 | sed 's/^/  | /'
}
waitfor() { local end=$(( SECONDS + $1 )) out; shift; until out=$("$@" 2>&1); do [ $SECONDS -ge $end ] && { printf '%s\n' "$out"; return 1; }; sleep 0.05; done; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
LIMIT=${HOTPLUG_LIMIT:-2}
within() { awk -v a="$1" -v l="$LIMIT" 'BEGIN { exit !(a <= l) }'; }
prop() { systemctl show -P "$2" "$1"; }
listed() { timeout 5 upsc -l 127.0.0.1 2>/dev/null | grep -qx "$1"; }
notlisted() { ! timeout 5 upsc -l 127.0.0.1 2>/dev/null | grep -qx "$1"; }
ready() { [ "$(prop "nut-driver@$1.service" ActiveState)" = active ]; }
gone() { local s; s=$(prop "nut-driver@$1.service" ActiveState); [ "$s" = inactive ] || [ "$s" = failed ] || [ -z "$s" ]; }
enumlog() { journalctl -q -o cat -u nut-driver-enumerator --no-pager; }
# timeline T0: what the kernel, the enumerator, the driver and upsd logged
# since T0 (date +%s.%N), in seconds since T0.
timeline() {
	{ journalctl -q -o short-unix --no-pager -k --since "@${1%.*}"
	  journalctl -q -o short-unix --no-pager -u nut-driver-enumerator -u 'nut-driver@*' -u nut-server -u init.scope --since "@${1%.*}"; } |
		sort -n | awk -v t0="$1" '$1 + 0 >= t0 { t = $1; $1 = ""; $2 = ""; printf "  %+6.2f s %s\n", t - t0, substr($0, 1, 110) }' | head -n 40
}
# sim N FILE: serve FILE over USB/IP at 127.0.0.N
sim() { bin/usbsim -dev "$2" -listen "127.0.0.$1:3240" -control "/run/usbsim$1.sock" 2>"/run/usbsim$1.log" & }
attach() { timeout 30 usbip attach -r "127.0.0.$1" -b 1-1; }
detach() { timeout 45 bin/usbsim -c "/run/usbsim$1.sock" detach; }

cp -a root/. /
systemd-sysusers >/dev/null 2>&1
systemd-tmpfiles --create >/dev/null 2>&1
udevadm control --reload
mkdir -p /etc/nut
printf 'ups.status: OL\n' >/etc/nut/dummy.dev
printf '[dummy]\n\tdriver = dummy-ups\n\tport = dummy.dev\n' >/etc/nut/ups.conf
printf 'LISTEN 127.0.0.1 3493\n' >/etc/nut/upsd.conf
printf '[admin]\n\tpassword = secret\n[monuser]\n\tpassword = pass\n\tupsmon secondary\n' >/etc/nut/upsd.users
# upsmon watches A (power value 0: it only tells), before A exists.
printf 'MONITOR usb-051d-0002-3B0000X00000@localhost 0 monuser pass secondary\nMINSUPPLIES 0\nPOLLFREQ 2\nSHUTDOWNCMD "/bin/true"\nRUN_AS_USER nut\n' >/etc/nut/upsmon.conf
printf 'MODE=standalone\n' >/etc/nut/nut.conf
chown root:nut /etc/nut/*; chmod 640 /etc/nut/*
systemctl daemon-reload
systemctl enable nut-driver-enumerator.service nut-server.service nut-monitor.service nut-driver.target nut.target >/dev/null 2>&1
check "nut.target starts" timeout 120 systemctl start nut.target
check "upsd serves the dummy UPS" waitfor 30 listed dummy
modprobe vhci-hcd

A=usb-051d-0002-3B0000X00000 B=usb-051d-0002-3B0000X00001
sim 1 dev/apc.usbdev
sim 2 dev/apc-b.usbdev
sim 3 dev/cps.usbdev
sim 4 dev/unknown.usbdev
sim 5 dev/pending.usbdev
check "the simulators serve" waitfor 20 bash -c 'for n in 1 2 3 4 5; do usbip list -r 127.0.0.$n 2>/dev/null | grep -q " 1-1: " || exit 1; done'
upsdpid=$(prop nut-server.service MainPID)
# A client connected before the plug, which must stay served.
exec 3<>/dev/tcp/127.0.0.1/3493

# BENCH=n (bench/hotplugbench): n plugs and unplugs of A, timed, and
# nothing else. TIME plug: attach until its driver is READY and upsd lists
# it; TIME unplug: detach until the driver has stopped and upsd no longer
# lists it.
if [ -n "${BENCH:-}" ]; then
	for i in $(seq "$BENCH"); do
		t0=$(now)
		check "bench $i: attach" attach 1
		check "bench $i: READY and listed" waitfor 60 bash -c "systemctl is-active -q nut-driver@$A.service && timeout 5 upsc -l 127.0.0.1 | grep -qx $A"
		echo "TIME plug $(elapsed "$t0")"
		[ -n "${TIMELINE:-}" ] && timeline "$t0"
		t0=$(now)
		check "bench $i: detach" detach 1
		check "bench $i: stopped and unlisted" waitfor 60 bash -c "! systemctl is-active -q nut-driver@$A.service && ! timeout 5 upsc -l 127.0.0.1 | grep -qx $A"
		echo "TIME unplug $(elapsed "$t0")"
		[ -n "${TIMELINE:-}" ] && timeline "$t0"
	done
	echo "$pass passed, $fail failed"
	[ "$fail" = 0 ]; exit
fi

# Plug: the runtime section, its driver READY, upsd serving it.
t0=$(now)
check "attach A" attach 1
check "A: nut-driver@$A READY" waitfor 30 ready "$A"
check "A: upsc -l lists it" waitfor 30 listed "$A"
t=$(elapsed "$t0"); echo "  attach -> READY and listed in $t s (limit $LIMIT s)"
timeline "$t0"
check "A: attach -> READY and listed within $LIMIT s ($t s)" within "$t"
check "A: upsc reads the UPS" bash -c "timeout 5 upsc $A@127.0.0.1 ups.model | grep -qx 'Back-UPS XS 1400U'"
busdev=$(lsusb -d 051d:0002 | awk '{ sub(":", "", $4); print $2 "/" $4 }' | head -1)
check "A: the udev rules gave the nut group its node and NUT_DRIVER" bash -c "[ \"\$(stat -c %G:%a /dev/bus/usb/$busdev)\" = nut:664 ] && udevadm info /dev/bus/usb/$busdev | grep -q 'E: NUT_DRIVER=usbhid-ups'"
check "A: its runtime section, not in ups.conf" bash -c "grep -q 'serial = 3B0000X00000' /run/nut/hotplug/$A.conf && ! grep -q $A /etc/nut/ups.conf"
check "upsdrvsvcctl list marks it runtime" bash -c "upsdrvsvcctl list | grep -qx '$A	nut-driver@$A.service	runtime'"
check "nut-driver-enumerator --list-devices lists it as runtime" bash -c "nut-driver-enumerator --list-devices 2>&1 | grep -A9 'Runtime sections' | grep -qx $A"
upsmonlog() { journalctl -q -o cat -u nut-monitor --no-pager; }
check "upsmon, watching A, sees it come (COMMOK)" waitfor 30 bash -c "journalctl -q -o cat -u nut-monitor | grep -q 'Communications with UPS usb-051d-0002-3B0000X00000@localhost established'"
check "upsd reloaded, not restarted" test "$(prop nut-server.service MainPID)" = "$upsdpid"
check "a client connected before the plug is still served, and sees it" bash -c "printf 'LIST UPS\n' >&3; for i in 1 2 3 4 5; do read -t 5 -r l <&3 || exit 1; [[ \$l = 'UPS $A '* ]] && exit 0; done; exit 1"

# Unplug: the driver stops, the section goes, upsd no longer lists it.
t0=$(now)
check "detach A" detach 1
check "A: nut-driver@$A gone" waitfor 30 gone "$A"
check "A: upsc -l no longer lists it" waitfor 30 notlisted "$A"
echo "  detach -> stopped and unlisted in $(elapsed "$t0") s"
check "A: its runtime section is gone" test ! -e "/run/nut/hotplug/$A.conf"
check "A: upsmon sees it go (COMMBAD)" waitfor 30 bash -c "journalctl -q -o cat -u nut-monitor | sed -n '/$A@localhost established/,\$p' | grep -q 'Communications with UPS $A@localhost lost'"

# Replug: the same name.
check "replug A" attach 1
check "A again: the same name, READY and listed" waitfor 30 bash -c "systemctl is-active -q nut-driver@$A.service && timeout 5 upsc -l 127.0.0.1 | grep -qx $A"

# A second UPS of the same model: a second instance.
check "attach B (same IDs, another serial)" attach 2
check "B: nut-driver@$B READY and listed, A still" waitfor 30 bash -c "systemctl is-active -q nut-driver@$B.service nut-driver@$A.service && [ \$(timeout 5 upsc -l 127.0.0.1 | grep -c '^usb-051d-0002-') = 2 ]"

# The admin's section claims the CyberPower: its name, its settings. It
# comes into ups.conf only now: its driver, restarted every 5 s while its
# UPS is absent, would take the emulated CPU from what is timed above. The
# enumerator defines it (inotify), its driver finds no UPS and waits to be
# restarted; the plug starts it at once.
cat >>/etc/nut/ups.conf <<'CONF'
[myups]
	driver = usbhid-ups
	port = auto
	vendorid = 0764
	pollinterval = 7
	desc = "the admin's CyberPower"
CONF
check "the admin's [myups] defined, its driver without a UPS" waitfor 30 bash -c "systemctl show -P NRestarts nut-driver@myups.service | grep -qv '^0$'"
check "attach the CyberPower" attach 3
check "it runs as [myups] with its pollinterval 7" waitfor 40 bash -c "timeout 5 upsc myups@127.0.0.1 driver.parameter.pollinterval | grep -qx 7 && timeout 5 upsc myups@127.0.0.1 ups.serial | grep -qx CXEJX2003678"
check "no runtime section for it" bash -c "! ls /run/nut/hotplug | grep -q 0764"

# No UPS / no driver: nothing starts, one line each.
before=$(systemctl list-units --plain --no-legend 'nut-driver@*' | wc -l)
check "attach a HID device no table lists (5131:2007)" attach 4
check "attach a bcmxcp_usb UPS (0592:0002)" attach 5
check "the enumerator logs each once" waitfor 20 bash -c "[ \$(journalctl -q -o cat -u nut-driver-enumerator | grep -c '5131:2007.*not a UPS') = 1 ] && [ \$(journalctl -q -o cat -u nut-driver-enumerator | grep -c '0592:0002.*its driver bcmxcp_usb does not serve USB devices') = 1 ]"
sleep 1
check "nothing started for them" test "$(systemctl list-units --plain --no-legend 'nut-driver@*' | wc -l)" = "$before"
check "no runtime section for them" bash -c "! ls /run/nut/hotplug | grep -q -e 5131 -e 0592"

# A UPS behind one of nutdrv_qx's USB-serial bridges (usbsim -qx: a
# cypress bridge, a Megatec UPS behind it): our nutdrv_qx starts for it,
# finds its protocol, and goes when it is unplugged.
bin/usbsim -qx cypress -listen 127.0.0.6:3240 -control /run/usbsim6.sock 2>/run/usbsim6.log &
check "qx: the simulator serves a cypress bridge" waitfor 20 bash -c 'usbip list -r 127.0.0.6 2>/dev/null | grep -q " 1-1: "'
check "qx: attach it (0665:5161)" attach 6
check "qx: a runtime section for nutdrv_qx" waitfor 30 bash -c "grep -qs 'driver = nutdrv_qx' /run/nut/hotplug/usb-0665-5161-*.conf"
Q=$(ls /run/nut/hotplug | grep -m1 '^usb-0665-5161-' | sed 's/\.conf$//')
check "qx: nut-driver@$Q READY, upsc reads the UPS (OL, Megatec)" waitfor 90 bash -c "systemctl is-active -q nut-driver@$Q.service && timeout 5 upsc $Q@127.0.0.1 ups.status | grep -qx OL && timeout 5 upsc $Q@127.0.0.1 driver.version.data | grep -qx 'Megatec 0.06'"
check "qx: detach" detach 6
check "qx: its driver goes" waitfor 30 gone "$Q"

# The enumerator restarted with the devices plugged in: nothing starts
# twice; from scratch (as at boot), coldplug finds them.
apid=$(prop "nut-driver@$A.service" MainPID) bpid=$(prop "nut-driver@$B.service" MainPID)
check "enumerator restarts" timeout 60 systemctl restart nut-driver-enumerator
sleep 1
check "restart: A and B keep their drivers (same PIDs)" bash -c "[ \$(systemctl show -P MainPID nut-driver@$A.service) = $apid ] && [ \$(systemctl show -P MainPID nut-driver@$B.service) = $bpid ]"
systemctl stop nut-driver-enumerator
systemctl stop "nut-driver@$A.socket" "nut-driver@$A.service" "nut-driver@$B.socket" "nut-driver@$B.service"
rm -rf /run/nut/hotplug /run/systemd/system/nut-driver@usb-*
systemctl daemon-reload; systemctl reload nut-server
check "from scratch: upsd lists neither" waitfor 20 bash -c "! timeout 5 upsc -l 127.0.0.1 | grep -q ^usb-"
t0=$(now)
check "enumerator starts" timeout 60 systemctl start nut-driver-enumerator
check "coldplug: A and B READY and listed" waitfor 30 bash -c "systemctl is-active -q nut-driver@$B.service nut-driver@$A.service && [ \$(timeout 5 upsc -l 127.0.0.1 | grep -c '^usb-051d-0002-') = 2 ]"
echo "  enumerator start -> coldplugged UPSes listed in $(elapsed "$t0") s"

if [ "$fail" != 0 ]; then
	echo "--- enumerator:"; enumlog | tail -n 40 | sed 's/^/  /'
	echo "--- units:"; systemctl list-units --all --plain --no-legend 'nut-*' | sed 's/^/  /'
	echo "--- drivers:"; journalctl -q -o cat -u 'nut-driver@*' --no-pager | tail -n 30 | sed 's/^/  /'
	echo "--- upsd:"; journalctl -q -o cat -u nut-server --no-pager | tail -n 15 | sed 's/^/  /'
	echo "--- upsmon:"; upsmonlog | tail -n 15 | sed 's/^/  /'
	echo "--- kernel:"; dmesg | tail -n 15 | sed 's/^/  /'
fi
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
