// Package devfile reads the USB simulator's device files: one USB HID
// device per file, written by hand or from a driver's debug log.
//
//	# comments
//	vendorid 051d
//	productid 0002
//	bcddevice 0106
//	manufacturer "American Power Conversion"    (string index 1 unless given:
//	product 2 "Back-UPS XS 1400U"                manufacturer [INDEX] "TEXT")
//	serial "3B0123X12345"                       (default indexes 1, 2, 3)
//	string 4 "PbAc"                             (any other string descriptor)
//	report-descriptor
//	  05 84 09 04 a1 01 ...                     (hex, indented lines)
//	feature 0c: 0c 64                           (what GET_REPORT answers, ID byte first)
//	input 16: 16 0c 00 00 00                    (also sent on the interrupt pipe at start)
//	output 42: 42 00                            (what GET_REPORT answers for an output report)
//
// Only vendorid, productid and report-descriptor are required. A report the
// file lists is answered with exactly its bytes, whatever length the
// descriptor gives it; the descriptor must define it, though.
package devfile
