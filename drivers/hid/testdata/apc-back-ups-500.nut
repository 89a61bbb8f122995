# What Debian's NUT 2.8.0 usbhid-ups -DDDDD prints for apc-back-ups-500.hex, every report read as zeros:
# each field, then how it converted the value (internal/nutref runs it on a
# libusb stand-in; go test ./subdriver -update-nut rewrites this file).
Path: UPS.PowerSummary.iProduct, Type: Feature, ReportID: 0x01, Offset: 0, Size: 8, Value: 0 | LogMin: 0, LogMax: 255, PhyMin: 0, PhyMax: 0, Unit: 00000000, UnitExp: 0, Exponent: 0
Path: UPS.PowerSummary.iSerialNumber, Type: Feature, ReportID: 0x02, Offset: 0, Size: 8, Value: 0 | LogMin: 0, LogMax: 255, PhyMin: 0, PhyMax: 0, Unit: 00000000, UnitExp: 0, Exponent: 0
Path: UPS.PowerSummary.iDeviceChemistry, Type: Feature, ReportID: 0x03, Offset: 0, Size: 8, Value: 0 | LogMin: 0, LogMax: 255, PhyMin: 0, PhyMax: 0, Unit: 00000000, UnitExp: 0, Exponent: 0
Path: UPS.PowerSummary.iOEMInformation, Type: Feature, ReportID: 0x04, Offset: 0, Size: 8, Value: 0 | LogMin: 0, LogMax: 255, PhyMin: 0, PhyMax: 0, Unit: 00000000, UnitExp: 0, Exponent: 0
Path: UPS.PowerSummary.Rechargeable, Type: Feature, ReportID: 0x05, Offset: 0, Size: 8, Value: 0 | LogMin: 0, LogMax: 255, PhyMin: 0, PhyMax: 0, Unit: 00000000, UnitExp: 0, Exponent: 0
Path: UPS.PowerSummary.Charging, Type: Input, ReportID: 0x06, Offset: 0, Size: 8, Value: 0 | LogMin: 0, LogMax: 255, PhyMin: 0, PhyMax: 0, Unit: 00000000, UnitExp: 0, Exponent: 0
Path: UPS.PowerSummary.Charging, Type: Feature, ReportID: 0x06, Offset: 0, Size: 8, Value: 0 | LogMin: 0, LogMax: 255, PhyMin: 0, PhyMax: 0, Unit: 00000000, UnitExp: 0, Exponent: 0
Path: UPS.PowerSummary.Discharging, Type: Input, ReportID: 0x06, Offset: 8, Size: 8, Value: 0 | LogMin: 0, LogMax: 255, PhyMin: 0, PhyMax: 0, Unit: 00000000, UnitExp: 0, Exponent: 0
Path: UPS.PowerSummary.Discharging, Type: Feature, ReportID: 0x06, Offset: 8, Size: 8, Value: 0 | LogMin: 0, LogMax: 255, PhyMin: 0, PhyMax: 0, Unit: 00000000, UnitExp: 0, Exponent: 0
Path: UPS.PowerSummary.APCStatusFlag, Type: Input, ReportID: 0x06, Offset: 16, Size: 8, Value: 0 | LogMin: 0, LogMax: 255, PhyMin: 0, PhyMax: 0, Unit: 00000000, UnitExp: 0, Exponent: 0
Path: UPS.PowerSummary.APCStatusFlag, Type: Feature, ReportID: 0x06, Offset: 16, Size: 8, Value: 0 | LogMin: 0, LogMax: 255, PhyMin: 0, PhyMax: 0, Unit: 00000000, UnitExp: 0, Exponent: 0
Path: UPS.PowerSummary.ManufacturerDate, Type: Feature, ReportID: 0x07, Offset: 0, Size: 16, Value: 0 | LogMin: 0, LogMax: 65535, PhyMin: 0, PhyMax: 0, Unit: 00000000, UnitExp: 0, Exponent: 0
Path: UPS.PowerSummary.ConfigVoltage, Type: Feature, ReportID: 0x08, Offset: 0, Size: 16, Value: 0 | LogMin: 0, LogMax: 65534, PhyMin: 0, PhyMax: 0, Unit: 00f0d121, UnitExp: 5, Exponent: -2
Path: UPS.PowerSummary.Voltage, Type: Feature, ReportID: 0x09, Offset: 0, Size: 16, Value: 0 | LogMin: 0, LogMax: 65534, PhyMin: 0, PhyMax: 0, Unit: 00f0d121, UnitExp: 5, Exponent: -2
Path: UPS.PowerSummary.iManufacturer, Type: Feature, ReportID: 0x0a, Offset: 0, Size: 8, Value: 0 | LogMin: 0, LogMax: 255, PhyMin: 0, PhyMax: 0, Unit: 00f0d121, UnitExp: 5, Exponent: -2
Path: UPS.PowerSummary.CapacityMode, Type: Feature, ReportID: 0x0b, Offset: 0, Size: 8, Value: 0 | LogMin: 0, LogMax: 255, PhyMin: 0, PhyMax: 0, Unit: 00f0d121, UnitExp: 5, Exponent: -2
Path: UPS.PowerSummary.RemainingCapacity, Type: Input, ReportID: 0x0c, Offset: 0, Size: 24, Value: 0 | LogMin: 0, LogMax: 16777214, PhyMin: 0, PhyMax: 0, Unit: 00101001, UnitExp: 0, Exponent: 0
Path: UPS.PowerSummary.RemainingCapacity, Type: Feature, ReportID: 0x0c, Offset: 0, Size: 24, Value: 0 | LogMin: 0, LogMax: 16777214, PhyMin: 0, PhyMax: 0, Unit: 00101001, UnitExp: 0, Exponent: 0
Path: UPS.PowerSummary.RunTimeToEmpty, Type: Input, ReportID: 0x0c, Offset: 24, Size: 16, Value: 0 | LogMin: 0, LogMax: 65534, PhyMin: 0, PhyMax: 0, Unit: 00001001, UnitExp: 0, Exponent: 0
Path: UPS.PowerSummary.RunTimeToEmpty, Type: Feature, ReportID: 0x0c, Offset: 24, Size: 16, Value: 0 | LogMin: 0, LogMax: 65534, PhyMin: 0, PhyMax: 0, Unit: 00001001, UnitExp: 0, Exponent: 0
Path: UPS.PowerSummary.DesignCapacity, Type: Feature, ReportID: 0x0d, Offset: 0, Size: 24, Value: 0 | LogMin: 0, LogMax: 16777214, PhyMin: 0, PhyMax: 0, Unit: 00101001, UnitExp: 0, Exponent: 0
Path: UPS.PowerSummary.FullChargeCapacity, Type: Feature, ReportID: 0x0e, Offset: 0, Size: 24, Value: 0 | LogMin: 0, LogMax: 16777214, PhyMin: 0, PhyMax: 0, Unit: 00101001, UnitExp: 0, Exponent: 0
Path: UPS.PowerSummary.WarningCapacityLimit, Type: Feature, ReportID: 0x0f, Offset: 0, Size: 24, Value: 0 | LogMin: 0, LogMax: 16777214, PhyMin: 0, PhyMax: 0, Unit: 00101001, UnitExp: 0, Exponent: 0
Path: UPS.PowerSummary.CapacityGranularity2, Type: Feature, ReportID: 0x10, Offset: 0, Size: 24, Value: 0 | LogMin: 0, LogMax: 16777214, PhyMin: 0, PhyMax: 0, Unit: 00101001, UnitExp: 0, Exponent: 0
Path: UPS.PowerSummary.RemainingCapacityLimit, Type: Feature, ReportID: 0x11, Offset: 0, Size: 24, Value: 0 | LogMin: 0, LogMax: 16777214, PhyMin: 0, PhyMax: 0, Unit: 00101001, UnitExp: 0, Exponent: 0
Path: UPS.PowerSummary.CapacityGranularity1, Type: Feature, ReportID: 0x12, Offset: 0, Size: 24, Value: 0 | LogMin: 0, LogMax: 16777214, PhyMin: 0, PhyMax: 0, Unit: 00101001, UnitExp: 0, Exponent: 0
Path: UPS.PowerSummary.ACPresent, Type: Input, ReportID: 0x13, Offset: 0, Size: 8, Value: 0 | LogMin: 0, LogMax: 1, PhyMin: 0, PhyMax: 0, Unit: 00000000, UnitExp: 0, Exponent: 0
Path: UPS.PowerSummary.ACPresent, Type: Feature, ReportID: 0x13, Offset: 0, Size: 8, Value: 0 | LogMin: 0, LogMax: 1, PhyMin: 0, PhyMax: 0, Unit: 00000000, UnitExp: 0, Exponent: 0
Path: UPS.PowerSummary.BelowRemainingCapacityLimit, Type: Input, ReportID: 0x14, Offset: 0, Size: 8, Value: 0 | LogMin: 0, LogMax: 1, PhyMin: 0, PhyMax: 0, Unit: 00000000, UnitExp: 0, Exponent: 0
Path: UPS.PowerSummary.BelowRemainingCapacityLimit, Type: Feature, ReportID: 0x14, Offset: 0, Size: 8, Value: 0 | LogMin: 0, LogMax: 1, PhyMin: 0, PhyMax: 0, Unit: 00000000, UnitExp: 0, Exponent: 0
Path: UPS.PowerSummary.ShutdownImminent, Type: Input, ReportID: 0x14, Offset: 8, Size: 8, Value: 0 | LogMin: 0, LogMax: 1, PhyMin: 0, PhyMax: 0, Unit: 00000000, UnitExp: 0, Exponent: 0
Path: UPS.PowerSummary.ShutdownImminent, Type: Feature, ReportID: 0x14, Offset: 8, Size: 8, Value: 0 | LogMin: 0, LogMax: 1, PhyMin: 0, PhyMax: 0, Unit: 00000000, UnitExp: 0, Exponent: 0
Path: UPS.PowerSummary.APCPanelTest, Type: Feature, ReportID: 0x35, Offset: 0, Size: 8, Value: 0 | LogMin: 0, LogMax: 1, PhyMin: 0, PhyMax: 0, Unit: 00000000, UnitExp: 0, Exponent: 0
Path: UPS.PowerSummary.APCBattReplaceDate, Type: Feature, ReportID: 0x1c, Offset: 0, Size: 24, Value: 0 | LogMin: 0, LogMax: 16777215, PhyMin: 0, PhyMax: 0, Unit: 00000000, UnitExp: 0, Exponent: 0
Path: UPS.APCGeneralCollection.APCDelayBeforeReboot, Type: Feature, ReportID: 0x40, Offset: 0, Size: 8, Value: 0 | LogMin: 0, LogMax: 1, PhyMin: 0, PhyMax: 0, Unit: 00000000, UnitExp: 0, Exponent: 0
