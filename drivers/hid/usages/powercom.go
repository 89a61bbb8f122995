package usages

import "gonut/drivers/hid"

// Powercom is powercom-hid.c's table ("PowerCOM HID 0.6"): PowerCOM
// repeats Power Device usages on page 0x02 and a few on 0xff86 and 0x00ff.
var Powercom = hid.UsageTable{
	{Name: "PowercomUPS", Usage: 0x00020004},
	{Name: "PowercomBatterySystem", Usage: 0x00020010},
	{Name: "PowercomPowerConverter", Usage: 0x00020016},
	{Name: "PowercomInput", Usage: 0x0002001a},
	{Name: "PowercomOutput", Usage: 0x0002001c},
	{Name: "PowercomVoltage", Usage: 0x00020030},
	{Name: "PowercomFrequency", Usage: 0x00020032},
	{Name: "PowercomPercentLoad", Usage: 0x00020035},
	{Name: "PowercomTemperature", Usage: 0x00020036},
	{Name: "PowercomDelayBeforeStartup", Usage: 0x00020056},
	{Name: "PowercomDelayBeforeShutdown", Usage: 0x00020057},
	{Name: "PowercomTest", Usage: 0x00020058},
	{Name: "PowercomShutdownRequested", Usage: 0x00020068},
	{Name: "PowercomInternalChargeController", Usage: 0x00020081},
	{Name: "PowercomPrimaryBatterySupport", Usage: 0x00020082},
	{Name: "PowercomDesignCapacity", Usage: 0x00020083},
	{Name: "PowercomSpecificationInfo", Usage: 0x00020084},
	{Name: "PowercomManufacturerDate", Usage: 0x00020085},
	{Name: "PowercomSerialNumber", Usage: 0x00020086},
	{Name: "PowercomManufacturerName", Usage: 0x00020087},
	{Name: "POWERCOM1", Usage: 0x0084002f},
	{Name: "POWERCOM2", Usage: 0xff860060},
	{Name: "POWERCOM3", Usage: 0xff860080},
	{Name: "PCMDelayBeforeStartup", Usage: 0x00ff0056},
	{Name: "PCMDelayBeforeShutdown", Usage: 0x00ff0057},
}
