package usages

import "gonut/drivers/hid"

// TrippLite is tripplite-hid.c's table ("TrippLite HID 0.84"): Tripp
// Lite's vendor page 0xffff, and four status usages some OMNI1000LCD
// firmware puts on the Power Device page where HID has them on the Battery
// System page (TLCharging is 0x00840044, not 0x00850044).
var TrippLite = hid.UsageTable{
	{Name: "TLCustom", Usage: 0xffff0010},
	{Name: "TLDelayBeforeStartup", Usage: 0xffff0056},
	{Name: "TLLowVoltageTransferMax", Usage: 0xffff0057},
	{Name: "TLLowVoltageTransferMin", Usage: 0xffff0058},
	{Name: "TLHighVoltageTransferMax", Usage: 0xffff0059},
	{Name: "TLHighVoltageTransferMin", Usage: 0xffff005a},
	{Name: "OutletState", Usage: 0xffff007a},
	{Name: "OutletCount", Usage: 0xffff007b},
	{Name: "UPSFirmwareVersion", Usage: 0xffff007c},
	{Name: "CommunicationProtocolVersion", Usage: 0xffff007d},
	{Name: "CommunicationVersion", Usage: 0xffff007e},
	{Name: "iUPSPartNumber", Usage: 0xffff007f},
	{Name: "AutoOnDelay", Usage: 0xffff0080},
	{Name: "TLWatchdog", Usage: 0xffff0092},
	{Name: "TLOutletsAvailableMask", Usage: 0xffff0095},
	{Name: "TLOutletsStatusMask", Usage: 0xffff0096},
	{Name: "TLCharging", Usage: 0x00840044},
	{Name: "TLDischarging", Usage: 0x00840045},
	{Name: "TLNeedReplacement", Usage: 0x0084004b},
	{Name: "TLACPresent", Usage: 0x008400d0},
}
