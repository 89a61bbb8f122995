# gonut: Network UPS Tools in Go.
#
#   make            build every program into bin/ under NUT's names
#   make demo       run a simulated UPS stack through a power failure
#   make check      install what the tests need (Debian 12, as root), then
#                   gofmt check, go vet and every test
#   make fuzz       run every fuzz target briefly (FUZZTIME each)
#   make install    DESTDIR= PREFIX= (default /usr/local)
#   make man        render the man pages (docs/man/*.md) into MANBUILD
#   make deb        gonut-server and gonut-client .deb files, in ..

GO        ?= $(shell command -v go 2>/dev/null || echo /usr/local/go/bin/go)
PREFIX    ?= /usr/local
DESTDIR   ?=
BINDIR    ?= $(PREFIX)/bin
SBINDIR   ?= $(PREFIX)/sbin
# Drivers live apart from the PATH, as Debian's /lib/nut.
DRIVERDIR ?= $(PREFIX)/lib/nut
FUZZTIME  ?= 10s
# Man pages: docs/man/NAME.SECTION.md, rendered by go-md2man.
MANDIR    ?= $(PREFIX)/share/man
MANBUILD  ?= build/man
MANPAGES   = $(patsubst docs/man/%.md,$(MANBUILD)/%,$(wildcard docs/man/*.md))
# Where systemd and the configuration live (PREFIX=/usr for a package).
CONFDIR        ?= /etc/nut
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
# systemd-shutdown runs hooks only from /usr/lib/systemd/system-shutdown,
# whatever the PREFIX.
SYSTEMDLIBDIR  ?= /usr/lib/systemd
TMPFILESDIR    ?= $(PREFIX)/lib/tmpfiles.d
SYSUSERSDIR    ?= $(PREFIX)/lib/sysusers.d
# udev reads /usr/local/lib/udev/rules.d too.
UDEVRULESDIR   ?= $(PREFIX)/lib/udev/rules.d
UDEVRULES      = udev/62-nut-usbups.rules
UNITS          = nut.target nut-driver.target nut-driver@.service nut-driver@.socket nut-server.service \
                 nut-server.socket nut-monitor.service nut-driver-enumerator.service nut-web.service nut-web.socket
# The user and group the daemons run as, and where the drivers' sockets
# and the PID files are: the same in the systemd units and the SMF manifests.
RUN_AS_USER    ?= nut
RUN_AS_GROUP   ?= nut
STATEPATH      ?= /run/nut
# SMF (illumos, Solaris): manifests and method scripts.
SMFMANIFESTDIR ?= /lib/svc/manifest/system/power
SMFMETHODDIR   ?= /lib/svc/method
SMF_MANIFESTS  = nut.xml nut-driver.xml nut-driver-enumerator.xml nut-server.xml nut-monitor.xml
SMF_METHODS    = svc-nut svc-nut-driver svc-nut-server svc-nut-monitor
# Which service manager install sets up: smf where svcadm is, else systemd.
SERVICE_FRAMEWORK ?= $(if $(wildcard /usr/sbin/svcadm),smf,systemd)
SUBST          = sed -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@CONFDIR@|$(CONFDIR)|g' -e 's|@DRIVERDIR@|$(DRIVERDIR)|g' \
                 -e 's|@RUN_AS_USER@|$(RUN_AS_USER)|g' -e 's|@RUN_AS_GROUP@|$(RUN_AS_GROUP)|g' -e 's|@STATEPATH@|$(STATEPATH)|g' \
                 -e 's|@SMFMETHODDIR@|$(SMFMETHODDIR)|g'


# Debian packages the build and the tests need. The NUT packages are the
# reference peers of the interoperability tests.
DEB_BUILD = gcc pkg-config libusb-1.0-0-dev libudev-dev
DEB_BUILD += go-md2man
DEB_TEST  = nut-server nut-client nut-snmp python3-nut socat libxml2-utils snmpsim snmpd snmp prometheus chromium libnss3-tools
DEB_TEST += libneon27-gnutls avahi-daemon avahi-utils # nut-scanner -M (Debian's dlopens libneon), -A
# The .deb build (debian/) and its checks.
DEB_TEST += build-essential dpkg-dev debhelper lintian
DEB_ALL   = $(DEB_BUILD) $(DEB_TEST)
# The benchmarks also make an NSS certificate database for Debian's upsd.
DEB_BENCH = libnss3-tools

# Every cmd/NAME is a program called NAME, as in NUT.
PROGRAMS  = $(notdir $(patsubst %/,%,$(dir $(wildcard cmd/*/main.go))))
# Which of them are drivers (installed to DRIVERDIR), which are servers.
DRIVERS   = $(filter dummy-ups usbhid-ups nutdrv_qx apcsmart snmp-ups genericups,$(PROGRAMS))
SERVERS   = $(filter upsd upsmon upsdrvctl upssched upsdrvsvcctl nut-driver-enumerator nut-web,$(PROGRAMS))
CLIENTS   = $(filter-out $(DRIVERS) $(SERVERS),$(PROGRAMS))
# Drivers look up their user (-u) in /etc/passwd and /etc/group and
# resolve a repeater's upsd host with Go's own resolver, not through libc's
# NSS: a driver that needs no C library (dummy-ups) is then linked
# statically, and 40 of them keep 1.5 MB less resident each (libc and the
# dynamic loader mapped into each). bench/results/dummy-ups.md.
DRIVER_TAGS = netgo,osusergo

.PHONY: all build check deps fmt-check vet test fuzz install install-systemd install-smf clean demo deb

all: build

build: udev-rules
	@mkdir -p bin
	@if [ -n "$(filter-out $(DRIVERS),$(PROGRAMS))" ]; then $(GO) build -ldflags "-X gonut/config.driverDir=$(DRIVERDIR)" -o bin/ $(addprefix ./cmd/,$(filter-out $(DRIVERS),$(PROGRAMS))); fi
	@if [ -n "$(DRIVERS)" ]; then $(GO) build -tags "$(DRIVER_TAGS)" -ldflags "-X gonut/config.driverDir=$(DRIVERDIR)" -o bin/ $(addprefix ./cmd/,$(DRIVERS)); fi
	@echo "built: $(or $(PROGRAMS),nothing yet)"

# The udev rules, from the drivers' USB ID tables (rewritten only when they
# change; udev's test fails when the committed file is not what they give).
.PHONY: udev-rules
udev-rules:
	@$(GO) run ./udev/gen -o $(UDEVRULES)

# deps installs only what is missing, so a machine that has it all is not
# touched (and apt is not asked).
deps:
	@missing=""; for p in $(DEB_ALL); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" != 0 ]; then echo "make deps: missing Debian packages:$$missing (run as root, or install them)"; exit 1; fi; \
		echo "make deps: installing$$missing"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing </dev/null >/dev/null || exit 1; \
	fi

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

# The VM test builds its Debian image on its first run (several minutes)
# before it boots: more than go test's default 10 minutes may pass.
#
# The guest tests (test/vm/...) take the longest and mostly wait on the
# emulated guest, so they start first, beside the host's tests, not after
# them; the output of each package still comes whole.
test:
	@$(GO) test -count=1 -timeout 25m ./test/vm/... & vm=$$!; \
	$(GO) test -count=1 -timeout 25m $$($(GO) list ./... | grep -v '/test/vm/'); rc=$$?; \
	wait $$vm || rc=1; exit $$rc

check: deps fmt-check vet build test

# Every FuzzXxx target, each run for FUZZTIME. Go's fuzzer sometimes ends
# a short run with "context deadline exceeded" and no crasher: not a failure.
fuzz:
	@set -e; for pkg in $$($(GO) list ./...); do \
		for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
			echo "fuzz $$pkg $$f"; \
			out=$$($(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg 2>&1) || \
			case "$$out" in \
			*"Failing input written"*|*"panic:"*) echo "$$out"; exit 1;; \
			*"context deadline exceeded"*) echo "  (go's fuzzer ran out of time mid-run: no crasher)";; \
			*) echo "$$out"; exit 1;; \
			esac; \
		done; \
	done

install: build
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SBINDIR) $(DESTDIR)$(DRIVERDIR)
	@for p in $(CLIENTS); do install -m 0755 bin/$$p $(DESTDIR)$(BINDIR)/$$p; done
	@for p in $(SERVERS); do install -m 0755 bin/$$p $(DESTDIR)$(SBINDIR)/$$p; done
	@for p in $(DRIVERS); do install -m 0755 bin/$$p $(DESTDIR)$(DRIVERDIR)/$$p; done
	@$(MAKE) -s install-$(SERVICE_FRAMEWORK)

# systemd: units, the shutdown hook, tmpfiles and sysusers.
install-systemd:
	install -d $(DESTDIR)$(SYSTEMDUNITDIR) $(DESTDIR)$(SYSTEMDLIBDIR)/system-shutdown $(DESTDIR)$(TMPFILESDIR) $(DESTDIR)$(SYSUSERSDIR)
	@for u in $(UNITS); do $(SUBST) units/$$u > $(DESTDIR)$(SYSTEMDUNITDIR)/$$u; chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/$$u; done
	$(SUBST) units/nutshutdown > $(DESTDIR)$(SYSTEMDLIBDIR)/system-shutdown/nutshutdown
	chmod 0755 $(DESTDIR)$(SYSTEMDLIBDIR)/system-shutdown/nutshutdown
	install -d $(DESTDIR)$(SYSTEMDLIBDIR)/system-generators
	$(SUBST) units/nut-mode-generator > $(DESTDIR)$(SYSTEMDLIBDIR)/system-generators/nut-mode-generator
	chmod 0755 $(DESTDIR)$(SYSTEMDLIBDIR)/system-generators/nut-mode-generator
	install -m 0644 units/nut.tmpfiles $(DESTDIR)$(TMPFILESDIR)/nut.conf
	$(SUBST) units/nut.sysusers > $(DESTDIR)$(SYSUSERSDIR)/nut.conf; chmod 0644 $(DESTDIR)$(SYSUSERSDIR)/nut.conf
	install -d $(DESTDIR)$(UDEVRULESDIR)
	install -m 0644 $(UDEVRULES) $(DESTDIR)$(UDEVRULESDIR)/

# SMF: manifests and their method scripts (then svcadm restart
# manifest-import, or svccfg import each manifest).
install-smf:
	install -d $(DESTDIR)$(SMFMANIFESTDIR) $(DESTDIR)$(SMFMETHODDIR)
	@for m in $(SMF_MANIFESTS); do $(SUBST) smf/$$m > $(DESTDIR)$(SMFMANIFESTDIR)/$$m; chmod 0444 $(DESTDIR)$(SMFMANIFESTDIR)/$$m; done
	@for m in $(SMF_METHODS); do $(SUBST) smf/$$m > $(DESTDIR)$(SMFMETHODDIR)/$$m; chmod 0555 $(DESTDIR)$(SMFMETHODDIR)/$$m; done

# Debian packages (debian/rules runs make install with Debian's paths),
# written into the parent directory as dpkg-buildpackage does. debian/rules
# builds offline (GOPROXY=off), from the module cache: fill it first.
deb: deps
	$(GO) mod download
	PATH="$$PATH:$(dir $(GO))" dpkg-buildpackage -us -uc -b

# A simulated UPS through a power failure: no root, no systemd, no device.
demo: build
	@$(GO) run ./demo -bin bin

clean:
	rm -rf bin
	rm -rf $(MANBUILD)

# Benchmarks against Debian's NUT on this machine, reported as ratios in
# bench/results/.
.PHONY: bench
bench: build
	@$(MAKE) -s deps DEB_ALL="$(DEB_ALL) $(DEB_BENCH)"
	$(GO) run ./bench/driverbench -ours bin/dummy-ups -out bench/results/dummy-ups.md
	$(GO) run ./bench/upsdbench -upsd bin/upsd -driver bin/dummy-ups -out bench/results/upsd.md
	$(GO) run ./bench/abusebench -upsd bin/upsd -driver bin/dummy-ups -out bench/results/abuse.md
	$(GO) run ./bench/quietbench -upsd bin/upsd -driver bin/dummy-ups -out bench/results/upsd-quiet.md
	$(GO) run ./bench/upsmonbench -bin bin -out bench/results/upsmon.md
	$(GO) test -run '^$$' -bench . -benchtime 1x ./bench/snmpbench -args -out $(CURDIR)/bench/results/snmp-ups.md -scanout $(CURDIR)/bench/results/nut-scanner.md
	$(GO) run ./bench/apcsmartbench -ours bin/apcsmart -out bench/results/apcsmart.md
	$(GO) run ./bench/qxbench -ours bin/nutdrv_qx -out bench/results/nutdrv_qx.md
	$(GO) run ./bench/webbench -bin bin -out bench/results/nut-web.md

# The enumerator and usbhid-ups against Debian's, and USB hot-plug, in the
# test VM (root; slow without KVM).
.PHONY: bench-vm
bench-vm: deps
	$(GO) run ./bench/enumbench -out bench/results/enumerator.md
	$(GO) run ./bench/hotplugbench -out bench/results/hotplug.md
	$(GO) run ./bench/usbhidbench -out bench/results/usbhid-ups.md

# Man pages, one markdown source each, rendered at build time; installed
# by make install under MANDIR/man5 and MANDIR/man8.
.PHONY: man install-man
man: $(MANPAGES)
$(MANBUILD)/%: docs/man/%.md
	@mkdir -p $(MANBUILD)
	go-md2man -in $< -out $@
install: install-man
install-man: man
	install -d $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man8
	@for f in $(MANPAGES); do n=$${f##*/}; install -m 0644 $$f $(DESTDIR)$(MANDIR)/man$${n##*.}/$$n; done
