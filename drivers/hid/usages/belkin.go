package usages

import "gonut/drivers/hid"

// Belkin is belkin-hid.c's table ("Belkin/Liebert HID 0.18"): Belkin's
// vendor usages on page 0x86, where Belkin puts its own copies of
// configuration, controls and status.
var Belkin = hid.UsageTable{
	{Name: "BELKINConfig", Usage: 0x00860026},
	{Name: "BELKINConfigVoltage", Usage: 0x00860040},
	{Name: "BELKINConfigFrequency", Usage: 0x00860042},
	{Name: "BELKINConfigApparentPower", Usage: 0x00860043},
	{Name: "BELKINConfigBatteryVoltage", Usage: 0x00860044},
	{Name: "BELKINConfigOverloadTransfer", Usage: 0x00860045},
	{Name: "BELKINLowVoltageTransfer", Usage: 0x00860053},
	{Name: "BELKINHighVoltageTransfer", Usage: 0x00860054},
	{Name: "BELKINLowVoltageTransferMax", Usage: 0x0086005b},
	{Name: "BELKINLowVoltageTransferMin", Usage: 0x0086005c},
	{Name: "BELKINHighVoltageTransferMax", Usage: 0x0086005d},
	{Name: "BELKINHighVoltageTransferMin", Usage: 0x0086005e},
	{Name: "BELKINControls", Usage: 0x00860027},
	{Name: "BELKINLoadOn", Usage: 0x00860050},
	{Name: "BELKINLoadOff", Usage: 0x00860051},
	{Name: "BELKINLoadToggle", Usage: 0x00860052},
	{Name: "BELKINDelayBeforeReboot", Usage: 0x00860055},
	{Name: "BELKINDelayBeforeStartup", Usage: 0x00860056},
	{Name: "BELKINDelayBeforeShutdown", Usage: 0x00860057},
	{Name: "BELKINTest", Usage: 0x00860058},
	{Name: "BELKINAudibleAlarmControl", Usage: 0x0086005a},
	{Name: "BELKINDevice", Usage: 0x00860029},
	{Name: "BELKINVoltageSensitivity", Usage: 0x00860074},
	{Name: "BELKINModelString", Usage: 0x00860075},
	{Name: "BELKINModelStringOffset", Usage: 0x00860076},
	{Name: "BELKINUPSType", Usage: 0x0086007c},
	{Name: "BELKINPowerState", Usage: 0x0086002a},
	{Name: "BELKINInput", Usage: 0x0086001a},
	{Name: "BELKINOutput", Usage: 0x0086001c},
	{Name: "BELKINBatterySystem", Usage: 0x00860010},
	{Name: "BELKINVoltage", Usage: 0x00860030},
	{Name: "BELKINFrequency", Usage: 0x00860032},
	{Name: "BELKINPower", Usage: 0x00860034},
	{Name: "BELKINPercentLoad", Usage: 0x00860035},
	{Name: "BELKINTemperature", Usage: 0x00860036},
	{Name: "BELKINCharge", Usage: 0x00860039},
	{Name: "BELKINRunTimeToEmpty", Usage: 0x0086006c},
	{Name: "BELKINStatus", Usage: 0x00860028},
	{Name: "BELKINBatteryStatus", Usage: 0x00860022},
	{Name: "BELKINPowerStatus", Usage: 0x00860021},
}
