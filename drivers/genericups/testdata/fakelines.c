/*
 * fakelines.c: an LD_PRELOAD shim that gives a program a fake set of
 * modem-control lines, for tests (a PTY has none). With GONUT_FAKE_LINES
 * set to a path:
 *   - TIOCMGET reads the input lines (TIOCM_* bits, a number) from that
 *     file, with the output lines last set;
 *   - TIOCMSET, TIOCMBIS and TIOCMBIC set the output lines, kept in
 *     <path>.out, and log "set <lines>" to <path>.log;
 *   - tcsendbreak logs "break <tenths of a second>" there, its length as
 *     glibc on Linux asks the kernel for it ((duration + 99) / 100).
 * Every other ioctl goes to libc.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <termios.h>

static int readint(const char *path)
{
	int v = 0;
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	if (fscanf(f, "%i", &v) != 1)
		v = 0;
	fclose(f);
	return v;
}

static void note(const char *base, const char *what, int v)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s.log", base);
	if ((f = fopen(path, "a"))) {
		if (v < 0)
			fprintf(f, "%s\n", what);
		else
			fprintf(f, "%s %d\n", what, v);
		fclose(f);
	}
}

int ioctl(int fd, unsigned long req, ...)
{
	static int (*real)(int, unsigned long, ...);
	const char *base = getenv("GONUT_FAKE_LINES");
	char out[4096];
	va_list ap;
	void *arg;
	int o, *p;
	FILE *f;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (!real)
		real = (int (*)(int, unsigned long, ...))dlsym(RTLD_NEXT, "ioctl");
	if (!base || (req != TIOCMGET && req != TIOCMSET && req != TIOCMBIS && req != TIOCMBIC))
		return real(fd, req, arg);

	snprintf(out, sizeof(out), "%s.out", base);
	o = readint(out);
	p = arg;
	switch (req) {
	case TIOCMGET:
		*p = readint(base) | o;
		return 0;
	case TIOCMSET:
		o = *p;
		break;
	case TIOCMBIS:
		o |= *p;
		break;
	case TIOCMBIC:
		o &= ~*p;
		break;
	}
	o &= TIOCM_DTR | TIOCM_RTS | TIOCM_ST;
	if ((f = fopen(out, "w"))) {
		fprintf(f, "%d\n", o);
		fclose(f);
	}
	note(base, "set", o);
	return 0;
}

int tcsendbreak(int fd, int duration)
{
	static int (*real)(int, int);
	const char *base = getenv("GONUT_FAKE_LINES");

	if (!real)
		real = (int (*)(int, int))dlsym(RTLD_NEXT, "tcsendbreak");
	if (!base)
		return real(fd, duration);
	note(base, "break", duration <= 0 ? 0 : (duration + 99) / 100);
	return 0;
}
