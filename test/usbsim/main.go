package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"strings"
	"time"

	"gonut/test/usbsim/control"
	"gonut/test/usbsim/devfile"
	"gonut/test/usbsim/hiddev"
	"gonut/test/usbsim/qxbridge"
	"gonut/test/usbsim/usbip"
)

func main() {
	devPath := flag.String("dev", "", "device `file` to serve")
	qx := flag.String("qx", "", "serve a USB-serial `bridge` of nutdrv_qx (cypress, krauler, ...; package qxbridge) with a Megatec UPS behind it, instead of -dev")
	listen := flag.String("listen", "127.0.0.1:3240", "USB/IP `address`")
	busid := flag.String("busid", "1-1", "the device's `busid`, for usbip attach -b")
	ctl := flag.String("control", "", "control interface `address`: a path (Unix socket) or host:port")
	client := flag.String("c", "", "send the command in the arguments to the control interface at `address`")
	timeout := flag.Duration("timeout", 30*time.Second, "how long a control command may take (input waits for a host to take its report)")
	verbose := flag.Bool("v", false, "log every control transfer")
	flag.Parse()
	logger := log.New(os.Stderr, "usbsim: ", log.Lmicroseconds)

	if *client != "" {
		ctx, cancel := context.WithTimeout(context.Background(), *timeout+5*time.Second)
		defer cancel()
		lines, err := control.Do(ctx, *client, strings.Join(flag.Args(), " "))
		for _, l := range lines {
			fmt.Println(l)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "usbsim:", err)
			os.Exit(1)
		}
		return
	}
	if *qx != "" {
		serveBridge(*qx, *listen, *busid, *ctl, *verbose, logger)
		return
	}
	if *devPath == "" || flag.NArg() != 0 {
		flag.Usage()
		os.Exit(2)
	}
	file, err := devfile.ReadFile(*devPath)
	if err != nil {
		logger.Fatal(err)
	}
	dev := hiddev.New(file, *busid)
	var exported usbip.Device = dev
	if *verbose {
		exported = loggingDevice{dev, logger}
	}
	usb := usbip.NewServer(exported, logger)
	l, err := net.Listen("tcp", *listen)
	if err != nil {
		logger.Fatal(err)
	}
	if *ctl != "" {
		cl, err := control.Listen(*ctl)
		if err != nil {
			logger.Fatal(err)
		}
		go func() {
			logger.Fatal((&control.Server{Device: dev, USB: usb, InputTimeout: *timeout}).Serve(cl))
		}()
	}
	logger.Printf("serving %04x:%04x (%s) as busid %s on %s, control %q", file.VendorID, file.ProductID, *devPath, *busid, l.Addr(), *ctl)
	logger.Fatal(usb.Serve(l))
}

// loggingDevice logs each control transfer and its answer.
type loggingDevice struct {
	*hiddev.Device
	log *log.Logger
}

func (d loggingDevice) Control(s usbip.Setup, out []byte) ([]byte, error) {
	in, err := d.Device.Control(s, out)
	switch {
	case err != nil:
		d.log.Printf("control %v out[% x]: %v", s, out, err)
	default:
		d.log.Printf("control %v out[% x]: in[% x]", s, out, in)
	}
	return in, err
}

// serveBridge serves a qxbridge device.
func serveBridge(name, listen, busid, ctl string, verbose bool, logger *log.Logger) {
	m, ok := qxbridge.Models[name]
	if !ok {
		logger.Fatalf("-qx %s: no such bridge", name)
	}
	dev := qxbridge.New(m, busid)
	var exported usbip.Device = dev
	if verbose {
		exported = loggingBridge{dev, logger}
	}
	usb := usbip.NewServer(exported, logger)
	l, err := net.Listen("tcp", listen)
	if err != nil {
		logger.Fatal(err)
	}
	if ctl != "" {
		cl, err := control.Listen(ctl)
		if err != nil {
			logger.Fatal(err)
		}
		go func() { logger.Fatal((&control.Server{Other: dev.Do, USB: usb}).Serve(cl)) }()
	}
	logger.Printf("serving %04x:%04x (bridge %s) as busid %s on %s, control %q", m.VendorID, m.ProductID, name, busid, l.Addr(), ctl)
	logger.Fatal(usb.Serve(l))
}

type loggingBridge struct {
	*qxbridge.Device
	log *log.Logger
}

func (d loggingBridge) Control(s usbip.Setup, out []byte) ([]byte, error) {
	in, err := d.Device.Control(s, out)
	d.log.Printf("control %v out[% x]: in[% x] %v", s, out, in, err)
	return in, err
}
