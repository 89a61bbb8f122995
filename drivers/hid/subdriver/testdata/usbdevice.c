/*
 * More of the USB device the libusb stand-in of drivers/hid/internal/nutref
 * plays: loaded with LD_PRELOAD before it, this gives
 *  - the USB strings a file names (NUTSHIM_STRINGS: lines of "<index>
 *    <text>"; "<index>" alone: the device has no string of that index),
 *    leaving the others to the stand-in ("string<index>");
 *  - three interfaces, copies of the stand-in's one, so that a subdriver
 *    may claim interface 1 or 2 (Powervar's, Arduino's).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libusb-1.0/libusb.h>

static char *strings[256];
static char none[256];
static int loaded;

static void load(void)
{
	const char *path = getenv("NUTSHIM_STRINGS");
	char line[1024];
	FILE *f;

	if (loaded)
		return;
	loaded = 1;
	if (!path || !(f = fopen(path, "r")))
		return;
	while (fgets(line, sizeof(line), f)) {
		char *text;
		long idx;

		line[strcspn(line, "\n")] = 0;
		if (line[0] == '#' || line[0] == 0)
			continue;
		idx = strtol(line, &text, 10);
		if (idx < 0 || idx > 255)
			continue;
		if (*text == 0) {
			none[idx] = 1;
			continue;
		}
		strings[idx] = strdup(text + 1);
	}
	fclose(f);
}

int LIBUSB_CALL libusb_get_string_descriptor_ascii(libusb_device_handle *h, uint8_t idx, unsigned char *data, int length)
{
	int (*next)(libusb_device_handle *, uint8_t, unsigned char *, int);

	load();
	if (none[idx])
		return LIBUSB_ERROR_PIPE;
	if (strings[idx]) {
		strncpy((char *)data, strings[idx], (size_t)length);
		if (length > 0)
			data[length - 1] = 0;
		return (int)strlen((char *)data);
	}
	next = (int (*)(libusb_device_handle *, uint8_t, unsigned char *, int))dlsym(RTLD_NEXT, "libusb_get_string_descriptor_ascii");
	return next(h, idx, data, length);
}

#define INTERFACES 3

int LIBUSB_CALL libusb_get_config_descriptor(libusb_device *dev, uint8_t idx, struct libusb_config_descriptor **cfg)
{
	int (*next)(libusb_device *, uint8_t, struct libusb_config_descriptor **);
	struct libusb_interface *ifs;
	int i, ret;

	next = (int (*)(libusb_device *, uint8_t, struct libusb_config_descriptor **))dlsym(RTLD_NEXT, "libusb_get_config_descriptor");
	if ((ret = next(dev, idx, cfg)) != 0)
		return ret;
	ifs = calloc(INTERFACES + 1, sizeof(*ifs));
	ifs[INTERFACES] = (*cfg)->interface[0]; /* the stand-in's own, for libusb_free_config_descriptor */
	for (i = 0; i < INTERFACES; i++)
		ifs[i] = (*cfg)->interface[0];
	(*cfg)->interface = ifs;
	(*cfg)->bNumInterfaces = INTERFACES;
	return 0;
}

void LIBUSB_CALL libusb_free_config_descriptor(struct libusb_config_descriptor *c)
{
	void (*next)(struct libusb_config_descriptor *);
	struct libusb_interface *ifs, *own;

	if (!c)
		return;
	next = (void (*)(struct libusb_config_descriptor *))dlsym(RTLD_NEXT, "libusb_free_config_descriptor");
	ifs = (struct libusb_interface *)c->interface;
	own = malloc(sizeof(*own));
	*own = ifs[INTERFACES];
	c->interface = own;
	free(ifs);
	next(c);
}
