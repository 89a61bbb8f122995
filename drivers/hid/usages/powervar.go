package usages

import "gonut/drivers/hid"

// Powervar is powervar-hid.c's table ("Powervar HID 0.20").
var Powervar = hid.UsageTable{
	{Name: "POWERVAR1", Usage: 0xff000001},
}
