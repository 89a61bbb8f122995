package subdriver

import (
	"fmt"
	"strings"

	"gonut/drivers/usb"
)

// Vendor IDs the claims of several subdrivers look at.
const (
	vendorHP         = 0x03f0
	vendorDell       = 0x047c
	vendorPhoenixtec = 0x06da
	vendorTrippLite  = 0x09ae
	vendorBelkin     = 0x050d
	vendorLiebert    = 0x10af
	vendorPowercom   = 0x0d9f
)

// claimMGE (mge-hid.c's mge_claim): HP and Dell make so many other USB
// devices that an unknown one is taken with productid only, and without
// a word; Phoenixtec's ID is Liebert's subdriver's, except for AEG's
// PROTECT NAS units, which say AEG in a string.
func claimMGE(s *Subdriver, dev Device, support usb.Support, opt ClaimOptions) Claim {
	aeg := strings.Contains(dev.Vendor, "AEG") || strings.Contains(dev.Product, "AEG")
	switch {
	case support == usb.NotSupported:
		return Claim{}
	case dev.VendorID == vendorPhoenixtec:
		return Claim{OK: aeg}
	case support == usb.Supported:
		return Claim{OK: true}
	case dev.VendorID == vendorHP || dev.VendorID == vendorDell:
		return Claim{OK: opt.ProductID}
	}
	return claimDefault(s, dev, support, opt)
}

// claimTrippLite (tripplite-hid.c): HP's unknown devices as MGE's; Tripp
// Lite's 09ae:0001 are serial-over-USB units for the tripplite_usb
// driver; the other vendors of its table (Delta) are left alone.
func claimTrippLite(s *Subdriver, dev Device, support usb.Support, opt ClaimOptions) Claim {
	if support != usb.PossiblySupported {
		return Claim{OK: support == usb.Supported}
	}
	switch dev.VendorID {
	case vendorHP:
		return Claim{OK: opt.ProductID}
	case vendorTrippLite:
		if dev.ProductID == 0x0001 {
			return Claim{Note: fmt.Sprintf("This Tripp Lite device (%04x/%04x) is not supported by usbhid-ups.\n"+
				"Please use the tripplite_usb driver instead.\n", dev.VendorID, dev.ProductID)}
		}
		return claimDefault(s, dev, support, opt)
	}
	return Claim{}
}

// claimBelkin (belkin-hid.c): Belkin's and Liebert's vendor IDs, but not
// Belkin's F5U218-MOB USB hub (050d:0218).
func claimBelkin(s *Subdriver, dev Device, support usb.Support, opt ClaimOptions) Claim {
	if support != usb.PossiblySupported {
		return Claim{OK: support == usb.Supported}
	}
	switch {
	case dev.VendorID == vendorBelkin && dev.ProductID == 0x0218:
		return Claim{}
	case dev.VendorID == vendorBelkin:
		return claimDefault(s, dev, support, opt)
	case dev.VendorID == vendorLiebert:
		if opt.ProductID {
			return Claim{OK: true}
		}
		return Claim{Note: possiblySupported("Liebert", dev)}
	}
	return Claim{}
}

// claimPowercom (powercom-hid.c): 0d9f:0002 units speak the serial
// protocol of the powercom driver; 0d9f:0001 units are read from their
// interrupt reports only, of 8 bytes.
func claimPowercom(s *Subdriver, dev Device, support usb.Support, opt ClaimOptions) Claim {
	switch support {
	case usb.PossiblySupported:
		if dev.ProductID == 0x0002 {
			return Claim{Note: fmt.Sprintf("This Powercom device (%04x/%04x) is not supported by usbhid-ups.\n"+
				"Please use the 'powercom' driver instead.\n", dev.VendorID, dev.ProductID)}
		}
		return claimDefault(s, dev, support, opt)
	case usb.Supported:
		if dev.ProductID == 0x0001 {
			return Claim{OK: true, InterruptOnly: true, InterruptSize: 8}
		}
		return Claim{OK: true}
	}
	return Claim{}
}

// claimOn is a default claim whose devices are talked to on another
// interface or endpoint (Powervar's, Arduino's).
func claimOn(ifc usb.Interface) func(*Subdriver, Device, usb.Support, ClaimOptions) Claim {
	return func(s *Subdriver, dev Device, support usb.Support, opt ClaimOptions) Claim {
		c := claimDefault(s, dev, support, opt)
		if c.OK {
			c.Interface = ifc
		}
		return c
	}
}

// claimLegrand: Legrand's units are polled, their interrupt pipe unused
// (the table's rows for them say so; an unknown product taken with
// productid keeps the pipe).
func claimLegrand(s *Subdriver, dev Device, support usb.Support, opt ClaimOptions) Claim {
	c := claimDefault(s, dev, support, opt)
	c.PollOnly = support == usb.Supported
	return c
}
