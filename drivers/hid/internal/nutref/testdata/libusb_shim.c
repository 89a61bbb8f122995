/*
 * A stand-in for libusb-1.0, loaded with LD_PRELOAD under Debian's
 * usbhid-ups, so that NUT's own parser can be run on a report descriptor
 * from a file: the test reference for gonut's drivers/hid.
 *
 * It plays one USB HID device whose descriptor and reports come from files
 * named by the environment:
 *   NUTSHIM_DESC     report descriptor as hex text ('#' starts a comment)
 *   NUTSHIM_VID      vendor ID (hex), NUTSHIM_PID product ID, NUTSHIM_BCD bcdDevice
 *   NUTSHIM_REPORTS  optional: one report a line, in hex, report ID first;
 *                    a report not listed reads as zeros
 *   NUTSHIM_SETLOG   optional: every SET_REPORT is appended here, in hex
 * Interrupt transfers always time out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <libusb-1.0/libusb.h>

struct libusb_device { int unused; };
struct libusb_device_handle { int unused; };

static struct libusb_device the_device;
static struct libusb_device_handle the_handle;

static unsigned char desc[65536];
static int desc_len = -1;

#define MAX_REPORTS 256
static unsigned char reports[MAX_REPORTS][1024];
static int report_len[MAX_REPORTS];

/* read_hex reads hex byte pairs from a file, skipping '#' comments and
 * anything that is not a hex digit; returns the byte count or -1. */
static int read_hex_line(FILE *f, unsigned char *buf, int max, int whole)
{
	int n = 0, c, hi = -1;

	while ((c = fgetc(f)) != EOF) {
		if (c == '#') {
			while ((c = fgetc(f)) != EOF && c != '\n')
				;
		}
		if (c == '\n' && !whole) {
			if (n > 0)
				return n;
			continue;
		}
		if (c == EOF)
			break;
		if (!isxdigit(c))
			continue;
		c = isdigit(c) ? c - '0' : tolower(c) - 'a' + 10;
		if (hi < 0) {
			hi = c;
			continue;
		}
		if (n < max)
			buf[n++] = (unsigned char)(hi << 4 | c);
		hi = -1;
	}
	return n > 0 ? n : -1;
}

static void load(void)
{
	const char *path;
	FILE *f;

	if (desc_len >= 0)
		return;
	desc_len = 0;
	path = getenv("NUTSHIM_DESC");
	if (path && (f = fopen(path, "r"))) {
		desc_len = read_hex_line(f, desc, sizeof(desc), 1);
		if (desc_len < 0)
			desc_len = 0;
		fclose(f);
	}
	path = getenv("NUTSHIM_REPORTS");
	if (path && (f = fopen(path, "r"))) {
		unsigned char buf[1024];
		int n;
		while ((n = read_hex_line(f, buf, sizeof(buf), 0)) > 0) {
			memcpy(reports[buf[0]], buf, (size_t)n);
			report_len[buf[0]] = n;
		}
		fclose(f);
	}
}

static int env_hex(const char *name, int dflt)
{
	const char *v = getenv(name);
	return v ? (int)strtol(v, NULL, 16) : dflt;
}

int LIBUSB_CALL libusb_init(libusb_context **ctx) { if (ctx) *ctx = NULL; load(); return 0; }
void LIBUSB_CALL libusb_exit(libusb_context *ctx) { (void)ctx; }

const struct libusb_version * LIBUSB_CALL libusb_get_version(void)
{
	static const struct libusb_version v = { 1, 0, 26, 0, "", "nutshim" };
	return &v;
}

ssize_t LIBUSB_CALL libusb_get_device_list(libusb_context *ctx, libusb_device ***list)
{
	libusb_device **l = calloc(2, sizeof(*l));
	(void)ctx;
	l[0] = &the_device;
	*list = l;
	return 1;
}

void LIBUSB_CALL libusb_free_device_list(libusb_device **list, int unref) { (void)unref; free(list); }

int LIBUSB_CALL libusb_get_device_descriptor(libusb_device *dev, struct libusb_device_descriptor *d)
{
	(void)dev;
	memset(d, 0, sizeof(*d));
	d->bLength = 18;
	d->bDescriptorType = LIBUSB_DT_DEVICE;
	d->bcdUSB = 0x0110;
	d->bMaxPacketSize0 = 8;
	d->idVendor = (uint16_t)env_hex("NUTSHIM_VID", 0x051d);
	d->idProduct = (uint16_t)env_hex("NUTSHIM_PID", 0x0002);
	d->bcdDevice = (uint16_t)env_hex("NUTSHIM_BCD", 0x0100);
	d->iManufacturer = 1;
	d->iProduct = 2;
	d->iSerialNumber = 3;
	d->bNumConfigurations = 1;
	return 0;
}

int LIBUSB_CALL libusb_open(libusb_device *dev, libusb_device_handle **h) { (void)dev; *h = &the_handle; return 0; }
void LIBUSB_CALL libusb_close(libusb_device_handle *h) { (void)h; }
uint8_t LIBUSB_CALL libusb_get_bus_number(libusb_device *dev) { (void)dev; return 1; }

int LIBUSB_CALL libusb_get_string_descriptor_ascii(libusb_device_handle *h, uint8_t idx, unsigned char *data, int length)
{
	char s[32];
	(void)h;
	if (idx == 0)
		return LIBUSB_ERROR_PIPE;
	snprintf(s, sizeof(s), "string%u", idx);
	strncpy((char *)data, s, (size_t)length);
	if (length > 0)
		data[length - 1] = 0;
	return (int)strlen((char *)data);
}

static unsigned char hid_desc[9];

static void make_hid_desc(void)
{
	load();
	hid_desc[0] = 9;
	hid_desc[1] = LIBUSB_DT_HID;
	hid_desc[2] = 0x10;
	hid_desc[3] = 0x01;
	hid_desc[4] = 0;
	hid_desc[5] = 1;
	hid_desc[6] = LIBUSB_DT_REPORT;
	hid_desc[7] = (unsigned char)(desc_len & 0xff);
	hid_desc[8] = (unsigned char)(desc_len >> 8);
}

int LIBUSB_CALL libusb_get_config_descriptor(libusb_device *dev, uint8_t idx, struct libusb_config_descriptor **cfg)
{
	struct libusb_config_descriptor *c = calloc(1, sizeof(*c));
	struct libusb_interface *i = calloc(1, sizeof(*i));
	struct libusb_interface_descriptor *a = calloc(1, sizeof(*a));

	(void)dev;
	(void)idx;
	make_hid_desc();
	a->bLength = 9;
	a->bDescriptorType = LIBUSB_DT_INTERFACE;
	a->bInterfaceClass = LIBUSB_CLASS_HID;
	a->extra = hid_desc;
	a->extra_length = 9;
	i->altsetting = a;
	i->num_altsetting = 1;
	c->bLength = 9;
	c->bDescriptorType = LIBUSB_DT_CONFIG;
	c->bNumInterfaces = 1;
	c->interface = i;
	*cfg = c;
	return 0;
}

void LIBUSB_CALL libusb_free_config_descriptor(struct libusb_config_descriptor *c)
{
	if (!c)
		return;
	free((void *)c->interface->altsetting);
	free((void *)c->interface);
	free(c);
}

int LIBUSB_CALL libusb_kernel_driver_active(libusb_device_handle *h, int i) { (void)h; (void)i; return 0; }
int LIBUSB_CALL libusb_set_auto_detach_kernel_driver(libusb_device_handle *h, int e) { (void)h; (void)e; return 0; }
int LIBUSB_CALL libusb_claim_interface(libusb_device_handle *h, int i) { (void)h; (void)i; return 0; }
int LIBUSB_CALL libusb_release_interface(libusb_device_handle *h, int i) { (void)h; (void)i; return 0; }
int LIBUSB_CALL libusb_detach_kernel_driver(libusb_device_handle *h, int i) { (void)h; (void)i; return LIBUSB_ERROR_NOT_FOUND; }
int LIBUSB_CALL libusb_set_interface_alt_setting(libusb_device_handle *h, int i, int a) { (void)h; (void)i; (void)a; return 0; }
int LIBUSB_CALL libusb_clear_halt(libusb_device_handle *h, unsigned char e) { (void)h; (void)e; return 0; }
const char * LIBUSB_CALL libusb_strerror(int code) { (void)code; return "nutshim error"; }

int LIBUSB_CALL libusb_interrupt_transfer(libusb_device_handle *h, unsigned char ep, unsigned char *data, int length, int *transferred, unsigned int timeout)
{
	(void)h; (void)ep; (void)data; (void)length; (void)timeout;
	if (transferred)
		*transferred = 0;
	return LIBUSB_ERROR_TIMEOUT;
}

int LIBUSB_CALL libusb_control_transfer(libusb_device_handle *h, uint8_t type, uint8_t req, uint16_t value, uint16_t index, unsigned char *data, uint16_t length, unsigned int timeout)
{
	int n, id;

	(void)h; (void)index; (void)timeout;
	load();
	if ((type & 0x60) == LIBUSB_REQUEST_TYPE_STANDARD && req == LIBUSB_REQUEST_GET_DESCRIPTOR) {
		if ((value >> 8) == LIBUSB_DT_HID) {
			make_hid_desc();
			n = length < 9 ? length : 9;
			memcpy(data, hid_desc, (size_t)n);
			return n;
		}
		if ((value >> 8) == LIBUSB_DT_REPORT) {
			n = length < desc_len ? length : desc_len;
			memcpy(data, desc, (size_t)n);
			return n;
		}
		return LIBUSB_ERROR_PIPE;
	}
	if ((type & 0x60) == LIBUSB_REQUEST_TYPE_CLASS && req == 0x01) { /* GET_REPORT */
		id = value & 0xff;
		memset(data, 0, length);
		if (length > 0)
			data[0] = (unsigned char)id;
		if (report_len[id] > 0) {
			n = report_len[id] < length ? report_len[id] : length;
			memcpy(data, reports[id], (size_t)n);
		}
		return length;
	}
	if ((type & 0x60) == LIBUSB_REQUEST_TYPE_CLASS && req == 0x09) { /* SET_REPORT */
		const char *path = getenv("NUTSHIM_SETLOG");
		FILE *f;
		if (path && (f = fopen(path, "a"))) {
			for (n = 0; n < length; n++)
				fprintf(f, "%s%02x", n ? " " : "", data[n]);
			fprintf(f, "\n");
			fclose(f);
		}
		return length;
	}
	return LIBUSB_ERROR_PIPE;
}
