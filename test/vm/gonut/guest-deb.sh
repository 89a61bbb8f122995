#!/bin/bash
# Runs INSIDE the nutvm guest as root, in /host, where ./nut holds Debian's
# nut-server and nut-client (and the dependencies the image lacks) and
# ./gonut gonut's gonut-server and gonut-client packages. An admin
# installs Debian's NUT and configures a UPS; gonut's packages go over
# Debian's (dpkg -i): the same /etc/nut, untouched, serves and monitors
# the UPS, the units are clean and enabled as Debian's were; purging
# gonut's packages leaves nothing of theirs. Prints PASS/FAIL lines and
# "N passed, N failed".
pass=0 fail=0
check() { local name=$1; shift; if "$@" >/dev/null 2>&1; then echo "PASS: $name"; pass=$((pass+1)); else echo "FAIL: $name"; fail=$((fail+1)); fi; }
# logged NAME CMD...: a check whose output is shown when it fails.
logged() {
	local name=$1 out; shift
	if out=$("$@" 2>&1); then echo "PASS: $name"; pass=$((pass+1)); else echo "FAIL: $name"; fail=$((fail+1)); printf '%s\n' "$out" | tail -20 | sed 's/^/  | /'; fi
}
waitfor() { local n=$(( $1 * 10 )); shift; while ! "$@" >/dev/null 2>&1; do n=$((n-1)); [ $n -le 0 ] && return 1; sleep 0.1; done; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
# ts: each line read, after the seconds since the first.
ts() { local t=$(now) l; while IFS= read -r l; do echo "$(elapsed "$t") $l"; done; }
# uts: each line read, after the seconds since boot (as the journal's monotonic stamps).
uts() { local l; while IFS= read -r l; do echo "$(cut -d' ' -f1 /proc/uptime) $l"; done; }
export -f ts uts now elapsed
# /etc/nut as it is: names, modes, owners and each file's SHA-256.
etcnut() { (cd /etc/nut && find . -printf '%p %m %u:%g\n' | sort && find . -type f -print0 | sort -z | xargs -0 sha256sum); }
# The units Debian's packages enable, and their state.
UNITS="nut-server.service nut-monitor.service nut-driver-enumerator.service nut-driver.target nut.target"
enabled() { for u in $UNITS; do printf '%s %s\n' "$u" "$(systemctl is-enabled "$u" 2>&1)"; done; }
# upsd lists upsmon's connection to myups (LIST CLIENT).
monitored() { upsc -c myups@localhost 2>/dev/null | grep -Eq '^(127\.0\.0\.1|::1)$'; }
listed() { [ "$(upsc -L localhost 2>/dev/null)" = "myups: configured for Debian's NUT" ]; }
dev() { printf 'ups.status: %s\nbattery.charge: %s\nups.mfr: Debian admin\n' "$1" "$2" > /etc/nut/myups.dev.new && mv /etc/nut/myups.dev.new /etc/nut/myups.dev; }
export DEBIAN_FRONTEND=noninteractive
t00=$(now)

# ---- Debian's NUT, configured as an admin does -----------------------------
t0=$(now)
logged "Debian's nut-server and nut-client install (dpkg -i)" bash -c 'set -o pipefail; dpkg -i nut/*.deb 2>&1 | ts'
echo "  Debian's NUT installed in $(elapsed "$t0") s: $(dpkg-query -W -f '${Package} ${Version}, ' nut-server nut-client)"
# The admin edits Debian's own conffiles (so dpkg knows them as changed)
# and adds the UPS's data file.
dev OL 100
cat >> /etc/nut/upsd.users <<'CONF'
[monuser]
	password = secret
	upsmon primary
CONF
printf 'MONITOR myups@localhost 1 monuser secret primary\n' >> /etc/nut/upsmon.conf
sed -i 's/^MODE=.*/MODE=standalone/' /etc/nut/nut.conf
cat >> /etc/nut/ups.conf <<'CONF'
[myups]
	driver = dummy-ups
	port = myups.dev
	desc = "configured for Debian's NUT"
CONF
# Editing ups.conf started Debian's enumerator (nut-driver-enumerator.path):
# it adds and starts nut-driver@myups. Then the admin restarts upsd and
# upsmon, for their own files.
t0=$(now)
check "Debian: nut-driver@myups active (nut-driver-enumerator.path)" waitfor 90 bash -c '[ "$(systemctl is-active nut-driver@myups.service)" = active ]'
systemctl restart nut-server.service nut-monitor.service
check "Debian: upsc myups@localhost reads OL" waitfor 60 bash -c '[ "$(upsc myups@localhost ups.status 2>/dev/null)" = OL ]'
check "Debian: upsmon is connected (upsc -c)" waitfor 60 monitored
check "Debian: upsc -L lists myups with its description" listed
echo "  Debian's NUT serving in $(elapsed "$t0") s"
systemctl list-units --all --plain --no-legend 'nut*' | sed 's/^/  debian: /'
before=$(etcnut)
enabled_debian=$(enabled)
printf '%s\n' "$enabled_debian" | sed 's/^/  debian is-enabled: /'
check "Debian: its enumerator enabled nut-driver@myups from /etc" test -e /etc/systemd/system/nut-driver.target.wants/nut-driver@myups.service

# ---- gonut's packages over Debian's ----------------------------------------
# gonut's packages, built on the host meanwhile.
t0=$(now)
waitfor 600 bash -c '[ -e gonut/READY ] || [ -e gonut/FAILED ]'
echo "  waited $(elapsed "$t0") s for gonut's packages: $(cat gonut/READY gonut/FAILED 2>/dev/null | head -c 300)"
if [ ! -e gonut/READY ]; then echo "FAIL: gonut's packages were not built"; echo "$pass passed, $((fail+1)) failed"; exit 1; fi
t0=$(now) tinstall=$(date +%s)
logged "gonut-server and gonut-client install over Debian's (dpkg -i)" bash -c 'set -o pipefail; dpkg -i gonut/gonut-server_*.deb gonut/gonut-client_*.deb 2>&1 | uts | tee /tmp/dpkg.out'
sed 's/^/  dpkg: /' /tmp/dpkg.out
echo "  gonut's packages installed in $(elapsed "$t0") s"
check "Debian's nut-server and nut-client removed, their conffiles kept" bash -c '[ "$(dpkg-query -W -f "\${db:Status-Status} " nut-server nut-client)" = "config-files config-files " ]'
check "gonut-server and gonut-client installed" bash -c '[ "$(dpkg-query -W -f "\${db:Status-Abbrev}" gonut-server gonut-client)" = "ii ii " ]'
after=$(etcnut)
check "/etc/nut untouched, byte for byte (names, modes, owners, contents)" test "$before" = "$after"
[ "$before" = "$after" ] || diff <(printf '%s\n' "$before") <(printf '%s\n' "$after") | sed 's/^/  | /'
check "ours: /sbin/upsd, /sbin/upsmon and /lib/nut/dummy-ups are gonut's" bash -c '[ "$(dpkg -S /sbin/upsd /sbin/upsmon /lib/nut/dummy-ups | cut -d: -f1 | sort -u | xargs)" = "gonut-client gonut-server" ]'
check "same config: nut-driver@myups active" waitfor 60 bash -c '[ "$(systemctl is-active nut-driver@myups.service)" = active ]'
check "same config: upsc myups@localhost reads OL" waitfor 60 bash -c '[ "$(upsc myups@localhost ups.status 2>/dev/null)" = OL ]'
check "same config: upsc -L lists myups with its description" listed
check "same config: upsmon is connected (upsc -c)" waitfor 60 monitored
# dpkg sets up gonut-client first: its nut-monitor wants nut-server, which
# must come up after the enumerator has started the driver (READY), or
# upsmon's first poll gets DATA-STALE. By systemd's own record, not by
# how soon a poller sees it.
mono() { systemctl show -P "$2" "$1"; }
check "install: upsd started after its driver was READY" test "$(mono nut-server.service ExecMainStartTimestampMonotonic)" -ge "$(mono nut-driver@myups.service ActiveEnterTimestampMonotonic)"
echo "  install: driver READY at $(mono nut-driver@myups.service ActiveEnterTimestampMonotonic) us, upsd exec'd at $(mono nut-server.service ExecMainStartTimestampMonotonic) us, upsmon at $(mono nut-monitor.service ExecMainStartTimestampMonotonic) us (since boot)"
check "same config: upsmon runs as gonut's unit (READY, its STATUS)" waitfor 30 bash -c 'systemctl show -P StatusText nut-monitor.service | grep -q "myups@localhost"'
echo "  gonut serving in $(elapsed "$t0") s"
since=$(date +%s)
sleep 1
dev OB 80
check "a power event reaches upsmon: on battery" waitfor 60 bash -c "journalctl -u nut-monitor --since @$since --no-pager -o cat | grep -q 'on battery'"
dev OL 100
check "a power event reaches upsmon: on line power" waitfor 60 bash -c "journalctl -u nut-monitor --since @$since --no-pager -o cat | grep -q 'on line power'"
journalctl -u nut-monitor --since @"$since" --no-pager -o cat | tail -4 | sed 's/^/  upsmon: /'
status=$(systemctl status --no-pager nut-server.service nut-monitor.service nut-driver@myups.service 2>&1)
check "systemctl status nut-server nut-monitor nut-driver@myups: all active" systemctl is-active nut-server.service nut-monitor.service nut-driver@myups.service
check "systemctl status: no warning (changed on disk, ...)" bash -c '! grep -qi "warning" <<<"$1"' _ "$status"
printf '%s\n' "$status" | grep -E '^(●|     Loaded|     Active)' | sed 's/^/  status: /'
# What gonut's units logged at warning or worse since they started (their
# invocations: not what Debian's said as they stopped), but upsmon's
# power events.
ids=$(for u in nut-server nut-monitor nut-driver@myups nut-driver-enumerator; do echo "_SYSTEMD_INVOCATION_ID=$(systemctl show -P InvocationID $u.service)"; done)
# shellcheck disable=SC2086
warnings=$(journalctl -q -p warning --no-pager -o short-monotonic $ids | grep -v -e 'myups@localhost on battery$' -e 'myups@localhost on line power$')
check "journal: no warning from gonut's units but the power events" test -z "$warnings"
if [ -n "$warnings" ]; then
	printf '%s\n' "$warnings" | head | sed 's/^/  warning: /'
	journalctl --no-pager -o short-monotonic --since @"$tinstall" -u nut-server -u nut-server.socket -u nut-monitor -u nut-driver-enumerator -u 'nut-driver@*' | tail -60 | sed 's/^/  journal: /'
fi
failed=$(systemctl --failed --plain --no-legend)
check "systemctl --failed: none" test -z "$failed"
[ -n "$failed" ] && printf '%s\n' "$failed" | sed 's/^/  failed: /'
enabled_ours=$(enabled)
check "systemctl is-enabled as Debian's were" test "$enabled_debian" = "$enabled_ours"
[ "$enabled_debian" = "$enabled_ours" ] || printf '%s\n' "$enabled_ours" | sed 's/^/  ours is-enabled: /'
check "Debian's enumerator's leftovers gone (nut-driver-enumerator.path, /etc drop-ins)" bash -c '[ -z "$(find /etc/systemd/system /var/lib/systemd/deb-systemd-helper-enabled -name "nut-driver@*" -o -name "nut-driver-enumerator.path*")" ]'
systemctl list-units --all --plain --no-legend 'nut*' | sed 's/^/  gonut: /'

# ---- an upgrade of gonut's packages ----------------------------------------
# The same packages under a later version (repacked on the host, in
# gonut/up), installed over them as apt's upgrade does: the postinst
# restarts what runs, on the new binaries, and nothing else changes.
# The processes of ours and the binaries they run.
ours() { for u in nut-server nut-monitor nut-driver@myups nut-driver-enumerator; do p=$(systemctl show -P MainPID $u.service); echo "$u $p $(readlink /proc/$p/exe)"; done; }
pre=$(ours)
since=$(date +%s) t0=$(now)
logged "upgrade: dpkg -i of a later version" bash -c 'set -o pipefail; dpkg -i gonut/up/gonut-server_*.deb gonut/up/gonut-client_*.deb 2>&1 | uts | tee /tmp/dpkg-up.out'
echo "  upgraded in $(elapsed "$t0") s"
check "upgrade: gonut-server and gonut-client at the new version" bash -c '[ "$(dpkg-query -W -f "\${Version} \${db:Status-Abbrev}" gonut-server gonut-client)" = "0.1.0+up1 ii 0.1.0+up1 ii " ]'
check "upgrade: /etc/nut untouched" test "$before" = "$(etcnut)"
check "upgrade: upsd, upsmon, the driver and the enumerator active" waitfor 60 systemctl is-active nut-server.service nut-monitor.service nut-driver@myups.service nut-driver-enumerator.service
post=$(ours)
check "upgrade: each runs the new binary (no '(deleted)' executable)" bash -c '! grep -q "(deleted)\|^[^ ]* 0 " <<<"$1"' _ "$post"
printf '%s\n' "$pre" | sed 's/^/  before: /'
printf '%s\n' "$post" | sed 's/^/  after:  /'
check "upgrade: upsmon is connected (upsc -c)" waitfor 60 monitored
check "upgrade: upsc myups@localhost reads OL" waitfor 60 bash -c '[ "$(upsc myups@localhost ups.status 2>/dev/null)" = OL ]'
dev OB 80
check "upgrade: a power event reaches upsmon" waitfor 60 bash -c "journalctl -u nut-monitor --since @$since --no-pager -o cat | grep -q 'on battery'"
dev OL 100
check "upgrade: and its return" waitfor 60 bash -c "journalctl -u nut-monitor --since @$since --no-pager -o cat | grep -q 'on line power'"
status=$(systemctl status --no-pager nut-server.service nut-monitor.service nut-driver@myups.service nut-driver-enumerator.service 2>&1)
check "upgrade: systemctl status: no warning (changed on disk, ...)" bash -c '! grep -qi "warning" <<<"$1"' _ "$status"
check "upgrade: systemctl --failed: none" bash -c '[ -z "$(systemctl --failed --plain --no-legend)" ]'
check "upgrade: systemctl is-enabled as before" test "$enabled_debian" = "$(enabled)"
# Known and left (README): the driver restarts onto its new binary, and
# systemd may stop it before the old upsd (it orders neither before the
# other in a restart). The old upsd then says it lost the driver, and a
# poll of upsmon's that comes in that moment gets DATA-STALE: COMMBAD,
# then COMMOK once the new upsd serves. Nothing else: upsd's own restart
# behind its socket costs upsmon nothing (it dials again at once).
oldupsd=$(sed -n 's/^nut-server \([0-9]*\) .*/\1/p' <<<"$pre")
uwarn=$(journalctl -q -p warning --no-pager -o short-monotonic --since @"$since" -u nut-server -u nut-monitor -u nut-driver-enumerator -u 'nut-driver@*' | grep -v -e 'myups@localhost on battery$' -e 'myups@localhost on line power$' -e " upsd\[$oldupsd\]: lost the driver ups=myups$" \
	-e 'Poll UPS \[myups@localhost\] failed - ERR DATA-STALE\( ([0-9]* failed polls in a row)\)\?$' -e 'Communications with UPS myups@localhost lost$' -e 'Communications with UPS myups@localhost established$')
check "upgrade: no warning from our units but the power events (and the driver's restart under the old upsd)" test -z "$uwarn"
check "upgrade: upsmon told COMMOK after any COMMBAD" bash -c '[ "$(journalctl -u nut-monitor --since @$1 --no-pager -o cat | grep -E "Communications with UPS myups@localhost (lost|established)$" | tail -1 | grep -c lost)" = 0 ]' _ "$since"
if [ -n "$uwarn" ]; then
	printf '%s\n' "$uwarn" | head -20 | sed 's/^/  warning: /'
	sed 's/^/  dpkg: /' /tmp/dpkg-up.out
	journalctl --no-pager -o short-monotonic --since @"$since" -u nut-server -u nut-server.socket -u nut-monitor -u nut.target -u nut-driver.target -u nut-driver-enumerator -u 'nut-driver@*' | tail -80 | sed 's/^/  journal: /'
fi

# ---- purge -----------------------------------------------------------------
ourfiles=$(dpkg -L gonut-server gonut-client | while read -r f; do [ -d "$f" ] || echo "$f"; done)
t0=$(now)
logged "dpkg --purge gonut-server gonut-client" bash -c 'set -o pipefail; dpkg --purge gonut-server gonut-client 2>&1 | ts'
echo "  purged in $(elapsed "$t0") s"
left=$(for f in $ourfiles; do [ -e "$f" ] || [ -L "$f" ] && echo "$f"; done)
check "purge: no file of gonut's packages left ($(echo "$ourfiles" | wc -l) files)" test -z "$left"
[ -n "$left" ] && printf '%s\n' "$left" | head | sed 's/^/  left: /'
check "purge: no nut unit known to systemd" bash -c '[ -z "$(systemctl list-unit-files --no-legend "nut-*" nut.target)" ] && [ -z "$(systemctl list-units --all --plain --no-legend "nut-*" nut.target)" ]'
systemctl list-units --all --plain --no-legend 'nut-*' nut.target | sed 's/^/  left: /'
systemctl list-unit-files --no-legend 'nut-*' nut.target | sed 's/^/  left: /'
check "purge: no enable state (/etc/systemd, deb-systemd-helper)" bash -c '[ -z "$(find /etc/systemd /var/lib/systemd/deb-systemd-helper-enabled /var/lib/systemd/deb-systemd-user-helper-enabled -name "nut[-.]*" 2>/dev/null)" ]'
find /etc/systemd /var/lib/systemd/deb-systemd-helper-enabled /var/lib/systemd/deb-systemd-user-helper-enabled -name "nut[-.]*" 2>/dev/null | sed 's/^/  left: /'
check "purge: no runtime drop-ins (/run/systemd/system)" bash -c '[ -z "$(find /run/systemd/system -name "nut[-.]*")" ]'
check "purge: no process of ours" bash -c '! ps -eo comm= | grep -Eqx "upsd|upsmon|upsdrvctl|dummy-ups|nut-driver-enum"'
check "purge: /run/nut gone" test ! -e /run/nut
ls -la /run/nut 2>/dev/null | sed 's/^/  left: /'
check "purge: /etc/nut as the admin left it (Debian's conffiles, rc)" test "$before" = "$(etcnut)"
check "purge: the nut user stays, as Debian's purge leaves it" getent passwd nut
check "purge: systemctl --failed: none" bash -c '[ -z "$(systemctl --failed --plain --no-legend)" ]'
systemctl --failed --plain --no-legend | sed 's/^/  failed: /'

echo "  guest script: $(elapsed "$t00") s"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
