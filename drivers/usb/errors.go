package usb

import (
	"errors"
	"fmt"
)

// A driver tells what went wrong with errors.Is:
//
//   - ErrGone: the device was unplugged, or taken away (another program
//     claimed it, the permissions changed). Mark the data stale and
//     Reconnect, as NUT's usbhid-ups does for LIBUSB_ERROR_NO_DEVICE, _IO,
//     _NOT_FOUND, _ACCESS and _BUSY.
//   - ErrTimeout: the device did not answer in time. Try again later.
//   - ErrStall: the device refused the request (a report it does not
//     have). A stall that was in fact an unplug is ErrGone instead.
//
// Other errors (overflow, a malformed answer) are passing: NUT ignores them.
var (
	ErrGone     = errors.New("device gone")
	ErrTimeout  = errors.New("timed out")
	ErrStall    = errors.New("request refused (stall)")
	ErrNotFound = errors.New("no matching USB device found")
)

// Code is a libusb error code. Bus and Handle implementations report
// failures as Codes (possibly wrapped).
type Code int

const (
	CodeIO           Code = -1
	CodeInvalidParam Code = -2
	CodeAccess       Code = -3
	CodeNoDevice     Code = -4
	CodeNotFound     Code = -5
	CodeBusy         Code = -6
	CodeTimeout      Code = -7
	CodeOverflow     Code = -8
	CodePipe         Code = -9
	CodeInterrupted  Code = -10
	CodeNoMem        Code = -11
	CodeNotSupported Code = -12
	CodeOther        Code = -99
)

// Error is libusb_strerror's text, which NUT logs.
func (c Code) Error() string {
	switch c {
	case 0:
		return "Success"
	case CodeIO:
		return "Input/Output Error"
	case CodeInvalidParam:
		return "Invalid parameter"
	case CodeAccess:
		return "Access denied (insufficient permissions)"
	case CodeNoDevice:
		return "No such device (it may have been disconnected)"
	case CodeNotFound:
		return "Entity not found"
	case CodeBusy:
		return "Resource busy"
	case CodeTimeout:
		return "Operation timed out"
	case CodeOverflow:
		return "Overflow"
	case CodePipe:
		return "Pipe error"
	case CodeInterrupted:
		return "System call interrupted (perhaps due to signal)"
	case CodeNoMem:
		return "Insufficient memory"
	case CodeNotSupported:
		return "Operation not supported or unimplemented on this platform"
	}
	return "Other error"
}

// Is sorts a code into ErrGone, ErrTimeout or ErrStall.
func (c Code) Is(target error) bool {
	switch target {
	case ErrGone:
		return c.gone()
	case ErrTimeout:
		return c == CodeTimeout
	case ErrStall:
		return c == CodePipe
	}
	return false
}

// gone: the codes after which NUT's usbhid-ups reconnects.
func (c Code) gone() bool {
	switch c {
	case CodeNoDevice, CodeIO, CodeNotFound, CodeAccess, CodeBusy:
		return true
	}
	return false
}

// Error is a failed operation on a device: what was asked, and why it
// failed.
type Error struct {
	Op  string // "GET_REPORT feature 0x0d", "interrupt read from 0x81"
	Err error  // a Code, usually
	// Gone is set when the device, asked again after a stall, was found
	// unplugged: the stall was the unplug.
	Gone error
}

func (e *Error) Error() string {
	s := fmt.Sprintf("%s: %v", e.Op, e.Err)
	if e.Gone != nil {
		s += fmt.Sprintf("; the device is gone: %v", e.Gone)
	}
	return s
}

// Unwrap gives the cause; a stall found to be an unplug is not a stall.
func (e *Error) Unwrap() error {
	if e.Gone != nil {
		return e.Gone
	}
	return e.Err
}
