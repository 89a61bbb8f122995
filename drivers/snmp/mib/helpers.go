package mib

// lookupUSDateToISO is NUT's su_convert_to_iso_date_info
// (snmp-ups-helpers.c), which the tables share.
var lookupUSDateToISO = &Lookup{Name: "su_convert_to_iso_date_info", Func: FuncUSDateToISO}
