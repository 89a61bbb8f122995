# What Debian's NUT 2.8.0 usbhid-ups -DDDDD prints for idowell-smart-battery.hex, every report read as zeros:
# each field, then how it converted the value (internal/nutref runs it on a
# libusb stand-in; go test ./subdriver -update-nut rewrites this file).
Path: UPS.PowerSummary.PowerSummaryID, Type: Feature, ReportID: 0x01, Offset: 0, Size: 4, Value: 0 | LogMin: 0, LogMax: 15, PhyMin: 0, PhyMax: 0, Unit: 00000000, UnitExp: 0, Exponent: 0
Path: UPS.PowerSummary.FlowID, Type: Feature, ReportID: 0x01, Offset: 4, Size: 4, Value: 0 | LogMin: 0, LogMax: 15, PhyMin: 0, PhyMax: 0, Unit: 00000000, UnitExp: 0, Exponent: 0
Path: UPS.PowerSummary.iManufacturer, Type: Feature, ReportID: 0x01, Offset: 8, Size: 8, Value: 0 | LogMin: 0, LogMax: 255, PhyMin: 0, PhyMax: 0, Unit: 00000000, UnitExp: 0, Exponent: 0
Path: UPS.PowerSummary.iProduct, Type: Feature, ReportID: 0x01, Offset: 16, Size: 8, Value: 0 | LogMin: 0, LogMax: 255, PhyMin: 0, PhyMax: 0, Unit: 00000000, UnitExp: 0, Exponent: 0
Path: UPS.PowerSummary.iSerialNumber, Type: Feature, ReportID: 0x01, Offset: 24, Size: 8, Value: 0 | LogMin: 0, LogMax: 255, PhyMin: 0, PhyMax: 0, Unit: 00000000, UnitExp: 0, Exponent: 0
Path: UPS.PowerSummary.iDeviceChemistry, Type: Feature, ReportID: 0x01, Offset: 32, Size: 8, Value: 0 | LogMin: 0, LogMax: 255, PhyMin: 0, PhyMax: 0, Unit: 00000000, UnitExp: 0, Exponent: 0
Path: UPS.PowerSummary.BatteryPresent, Type: Feature, ReportID: 0x01, Offset: 40, Size: 1, Value: 0 | LogMin: 0, LogMax: 1, PhyMin: 0, PhyMax: 0, Unit: 00000000, UnitExp: 0, Exponent: 0
Path: UPS.PowerSummary.Rechargeable, Type: Feature, ReportID: 0x01, Offset: 41, Size: 1, Value: 0 | LogMin: 0, LogMax: 1, PhyMin: 0, PhyMax: 0, Unit: 00000000, UnitExp: 0, Exponent: 0
Path: UPS.PowerSummary.CapacityMode, Type: Feature, ReportID: 0x01, Offset: 48, Size: 8, Value: 0 | LogMin: 0, LogMax: 255, PhyMin: 0, PhyMax: 0, Unit: 00000000, UnitExp: 0, Exponent: 0
Path: UPS.PowerSummary.DesignCapacity, Type: Feature, ReportID: 0x01, Offset: 56, Size: 8, Value: 0 | LogMin: 0, LogMax: 100, PhyMin: 0, PhyMax: 0, Unit: 00000000, UnitExp: 0, Exponent: 0
Path: UPS.PowerSummary.FullChargeCapacity, Type: Feature, ReportID: 0x01, Offset: 64, Size: 8, Value: 0 | LogMin: 0, LogMax: 100, PhyMin: 0, PhyMax: 0, Unit: 00000000, UnitExp: 0, Exponent: 0
Path: UPS.PowerSummary.RemainingCapacity, Type: Feature, ReportID: 0x01, Offset: 72, Size: 8, Value: 0 | LogMin: 0, LogMax: 100, PhyMin: 0, PhyMax: 0, Unit: 00000000, UnitExp: 0, Exponent: 0
Path: UPS.PowerSummary.RunTimeToEmpty, Type: Feature, ReportID: 0x01, Offset: 80, Size: 32, Value: 0 | LogMin: 0, LogMax: 1979711487, PhyMin: 0, PhyMax: 0, Unit: 00001001, UnitExp: 0, Exponent: 0
Path: UPS.PowerSummary.ConfigVoltage, Type: Feature, ReportID: 0x01, Offset: 112, Size: 16, Value: 0 | LogMin: 0, LogMax: 65535, PhyMin: 0, PhyMax: 0, Unit: 00f0d121, UnitExp: 5, Exponent: -2
Path: UPS.PowerSummary.Voltage, Type: Feature, ReportID: 0x01, Offset: 128, Size: 16, Value: 0 | LogMin: 0, LogMax: 65535, PhyMin: 0, PhyMax: 0, Unit: 00f0d121, UnitExp: 5, Exponent: -2
Path: UPS.PowerSummary.PresentStatus.ACPresent, Type: Feature, ReportID: 0x01, Offset: 144, Size: 1, Value: 0 | LogMin: 0, LogMax: 1, PhyMin: 0, PhyMax: 0, Unit: 00000000, UnitExp: 0, Exponent: 0
Path: UPS.PowerSummary.PresentStatus.Charging, Type: Feature, ReportID: 0x01, Offset: 145, Size: 1, Value: 0 | LogMin: 0, LogMax: 1, PhyMin: 0, PhyMax: 0, Unit: 00000000, UnitExp: 0, Exponent: 0
Path: UPS.PowerSummary.PresentStatus.Discharging, Type: Feature, ReportID: 0x01, Offset: 146, Size: 1, Value: 0 | LogMin: 0, LogMax: 1, PhyMin: 0, PhyMax: 0, Unit: 00000000, UnitExp: 0, Exponent: 0
Path: UPS.PowerSummary.PresentStatus.BelowRemainingCapacityLimit, Type: Feature, ReportID: 0x01, Offset: 147, Size: 1, Value: 0 | LogMin: 0, LogMax: 1, PhyMin: 0, PhyMax: 0, Unit: 00000000, UnitExp: 0, Exponent: 0
Path: UPS.PowerSummary.PresentStatus.AtRateTimeToEmpty, Type: Feature, ReportID: 0x01, Offset: 148, Size: 1, Value: 0 | LogMin: 0, LogMax: 1, PhyMin: 0, PhyMax: 0, Unit: 00000000, UnitExp: 0, Exponent: 0
Path: UPS.PowerSummary.PresentStatus.BatteryPresent, Type: Feature, ReportID: 0x01, Offset: 149, Size: 1, Value: 0 | LogMin: 0, LogMax: 1, PhyMin: 0, PhyMax: 0, Unit: 00000000, UnitExp: 0, Exponent: 0
Path: UPS.PowerSummary.PresentStatus.AverageTimeToEmpty, Type: Feature, ReportID: 0x01, Offset: 150, Size: 1, Value: 0 | LogMin: 0, LogMax: 1, PhyMin: 0, PhyMax: 0, Unit: 00000000, UnitExp: 0, Exponent: 0
Path: UPS.PowerSummary.DelayBeforeShutdown, Type: Feature, ReportID: 0x09, Offset: 0, Size: 32, Value: 0 | LogMin: -1, LogMax: 2147483647, PhyMin: 0, PhyMax: 0, Unit: 00001001, UnitExp: 0, Exponent: 0
Path: UPS.PowerSummary.DelayBeforeStartup, Type: Feature, ReportID: 0x0a, Offset: 0, Size: 32, Value: 0 | LogMin: -1, LogMax: 2147483647, PhyMin: 0, PhyMax: 0, Unit: 00001001, UnitExp: 0, Exponent: 0
Path: UPS.PowerSummary.RemainingCapacity, Type: Input, ReportID: 0x02, Offset: 8, Size: 8, Value: 0 | LogMin: 0, LogMax: 100, PhyMin: 0, PhyMax: 0, Unit: 00001001, UnitExp: 0, Exponent: 0
Path: UPS.PowerSummary.RunTimeToEmpty, Type: Input, ReportID: 0x02, Offset: 16, Size: 32, Value: 0 | LogMin: 0, LogMax: 2147483647, PhyMin: 0, PhyMax: 0, Unit: 00001001, UnitExp: 0, Exponent: 0
