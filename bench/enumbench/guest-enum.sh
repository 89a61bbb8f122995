#!/bin/bash
# Runs INSIDE the nutvm guest: times gonut's nut-driver-enumerator against
# Debian's nut-driver-enumerator.sh (copied from the host) on a ups.conf
# of N sections, from nothing and then with nothing to change. Drivers are
# not started (AUTO_START=no for Debian's; nut-driver.target is not active
# for ours). Prints "TIME <what> <seconds>" lines.
N=${N:-100}
now() { date +%s.%N; }
took() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }'; }
cp -a root/. /
systemd-sysusers >/dev/null 2>&1
systemd-tmpfiles --create >/dev/null 2>&1
mkdir -p /etc/nut
: > /etc/nut/ups.conf
for i in $(seq 1 "$N"); do printf '[ups%d]\n\tdriver = dummy-ups\n\tport = ups%d.dev\n\tdesc = "UPS number %d"\n' "$i" "$i" "$i" >> /etc/nut/ups.conf; done
printf 'MODE=standalone\n' > /etc/nut/nut.conf
systemctl daemon-reload

t=$(now); nut-driver-enumerator >/dev/null 2>&1; echo "TIME gonut-first $(took "$t")"
t=$(now); nut-driver-enumerator >/dev/null 2>&1; echo "TIME gonut-nochange $(took "$t")"
echo "COUNT gonut $(ls -d /run/systemd/system/nut-driver@*.service.d 2>/dev/null | wc -l)"
rm -rf /run/systemd/system/nut-driver@* /run/systemd/system/nut-driver.target.d
systemctl daemon-reload

export AUTO_START=no
t=$(now); bash ./nut-driver-enumerator.sh >/dev/null 2>&1; echo "TIME debian-first $(took "$t")"
t=$(now); bash ./nut-driver-enumerator.sh >/dev/null 2>&1; echo "TIME debian-nochange $(took "$t")"
echo "COUNT debian $(ls /etc/systemd/system/nut-driver.target.wants/ 2>/dev/null | grep -c '^nut-driver@')"
