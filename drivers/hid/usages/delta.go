package usages

import "gonut/drivers/hid"

// Delta is delta_ups-hid.c's table ("Delta UPS HID 0.6"), on Delta's
// vendor page 0xffff. It names usage 0 "DELTA1", so a collection without a
// usage prints as DELTA1 under this subdriver.
var Delta = hid.UsageTable{
	{Name: "DELTA1", Usage: 0x00000000},
	{Name: "DELTA2", Usage: 0xff000055},
	{Name: "DeltaCustom", Usage: 0xffff0010},
	{Name: "DELTA4", Usage: 0xffff0056},
	{Name: "DeltaConfigTransferLowMax", Usage: 0xffff0057},
	{Name: "DeltaConfigTransferLowMin", Usage: 0xffff0058},
	{Name: "DeltaConfigTransferHighMax", Usage: 0xffff0059},
	{Name: "DeltaConfigTransferHighMin", Usage: 0xffff005a},
	{Name: "DELTA9", Usage: 0xffff0060},
	{Name: "DeltaConfigExternalBatteryPack", Usage: 0xffff0061},
	{Name: "DELTA11", Usage: 0xffff0062},
	{Name: "DELTA12", Usage: 0xffff0063},
	{Name: "DELTA13", Usage: 0xffff0064},
	{Name: "DELTA14", Usage: 0xffff0065},
	{Name: "DELTA15", Usage: 0xffff0066},
	{Name: "DELTA16", Usage: 0xffff0067},
	{Name: "DELTA17", Usage: 0xffff0068},
	{Name: "DeltaModelName", Usage: 0xffff0075},
	{Name: "DELTA19", Usage: 0xffff0076},
	{Name: "DeltaUPSType", Usage: 0xffff007c},
	{Name: "DELTA21", Usage: 0xffff007d},
	{Name: "DeltaConfigStartPowerRestoreDelay", Usage: 0xffff0081},
	{Name: "DeltaOutputSource", Usage: 0xffff0091},
	{Name: "DELTA24", Usage: 0xffff0092},
	{Name: "DELTA25", Usage: 0xffff0093},
	{Name: "DELTA26", Usage: 0xffff0094},
	{Name: "DELTA27", Usage: 0xffff0095},
	{Name: "DELTA28", Usage: 0xffff0096},
	{Name: "DELTA29", Usage: 0xffff0097},
	{Name: "DELTA30", Usage: 0xffff0098},
	{Name: "DELTA31", Usage: 0xffff0099},
	{Name: "DELTA32", Usage: 0xffff009a},
	{Name: "DeltaConfigSensitivity", Usage: 0xffff009b},
	{Name: "DeltaConfigStartPowerRestore", Usage: 0xffff009c},
}
