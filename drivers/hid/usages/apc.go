package usages

import "gonut/drivers/hid"

// APC is apc-hid.c's table ("APC HID 0.98"): APC's vendor page 0xff86,
// and usages APC's Back-UPS Pro put on pages 0x85 and 0x86.
var APC = hid.UsageTable{
	{Name: "APCGeneralCollection", Usage: 0xff860005},
	{Name: "APCEnvironment", Usage: 0xff860006},
	{Name: "APCProbe1", Usage: 0xff860007},
	{Name: "APCProbe2", Usage: 0xff860008},
	{Name: "APCBattReplaceDate", Usage: 0xff860016},
	{Name: "APCBattCapBeforeStartup", Usage: 0xff860019},
	{Name: "APC_UPS_FirmwareRevision", Usage: 0xff860042},
	{Name: "APCLineFailCause", Usage: 0xff860052},
	{Name: "APCStatusFlag", Usage: 0xff860060},
	{Name: "APCSensitivity", Usage: 0xff860061},
	{Name: "APCPanelTest", Usage: 0xff860072},
	{Name: "APCShutdownAfterDelay", Usage: 0xff860076},
	{Name: "APC_USB_FirmwareRevision", Usage: 0xff860079},
	{Name: "APCDelayBeforeReboot", Usage: 0xff86007c},
	{Name: "APCDelayBeforeShutdown", Usage: 0xff86007d},
	{Name: "APCDelayBeforeStartup", Usage: 0xff86007e},
	{Name: "BUPHibernate", Usage: 0x00850058},
	{Name: "BUPBattCapBeforeStartup", Usage: 0x00860012},
	{Name: "BUPDelayBeforeStartup", Usage: 0x00860076},
	{Name: "BUPSelfTest", Usage: 0x00860010},
}
