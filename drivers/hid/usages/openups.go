package usages

import "gonut/drivers/hid"

// OpenUPS is openups-hid.c's table ("openUPS HID 0.5"): the battery cells
// of Mini-Box's openUPS, which it numbers on page 0.
var OpenUPS = hid.UsageTable{
	{Name: "Cell1", Usage: 0x00000001},
	{Name: "Cell2", Usage: 0x00000002},
	{Name: "Cell3", Usage: 0x00000003},
	{Name: "Cell4", Usage: 0x00000004},
	{Name: "Cell5", Usage: 0x00000005},
	{Name: "Cell6", Usage: 0x00000006},
}
