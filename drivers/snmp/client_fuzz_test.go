package snmp

import (
	"testing"

	"github.com/gosnmp/gosnmp"
)

// FuzzDecode: whatever an agent sends, gosnmp's decoding (which the
// driver runs on every answer) and ours give an answer or an error,
// never a panic.
func FuzzDecode(f *testing.F) {
	g := &gosnmp.GoSNMP{Version: gosnmp.Version2c, Community: "public"}
	pkt := g.MkSnmpPacket(gosnmp.GetResponse, []gosnmp.SnmpPDU{{Name: ".1.3.6.1.2.1.1.2.0", Type: gosnmp.ObjectIdentifier, Value: ".1.3.6.1.2.1.33"}}, 0, 0)
	if b, err := pkt.MarshalMsg(); err == nil {
		f.Add(b)
	}
	f.Add([]byte("\x30\x82\xff\xffnot an SNMP message"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := g.SnmpDecodePacket(b)
		if err != nil || p == nil {
			return
		}
		for _, v := range p.Variables {
			_ = valueOf(v)
		}
		_, _ = answer(p, ".1.3")
	})
}
