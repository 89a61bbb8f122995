package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Inputs for the round-trip tests and the fuzz targets' seed corpus.
var roundTripInputs = map[string][]string{
	UPSConfFile: {
		"chroot = /x\n[a]\n\tdriver = d\n\tport = \"p q\"\n\tflag\n\tdesc = \"say \\\"hi\\\" \\#1\"\n",
		"maxretry = 3\nnowait\n[ups1]\ndriver = usbhid-ups\nport = auto\nsdorder = -1\n[ups2]\ndriver=dummy-ups\nport=x.dev\n",
		"[\"q\\\"x\"]\ndriver = d\nport = p\n[a\\ b]\ndriver = d\nport = p\n",
		"[a]\ndriver = d\nport = p\ndesc = two words\nport = q\n\"k=v\" = \"\"\n",
		"[a]\ndriver = d\nport = \\\n   p\nmaxstartdelay = 10s\n",
		"[a]\ndriver = d\nport = \"\\\\\\\\.\\\\COM1\"\n",
	},
	UpsdConfFile: {
		"LISTEN ::1 3493\nMAXAGE 20\nCERTIDENT \"my cert\" \"pa ss\"\nCERTREQUEST REQUEST\nDEBUG_MIN 3\n",
		"LISTEN * 3494\nLISTEN \"\" 1\nALLOW_NO_DEVICE 1\nALLOW_NOT_ALL_LISTENERS yes\nDISABLE_WEAK_SSL on\nSTATEPATH \"/a b\"\nDATAPATH /d\nCERTFILE /c\nCERTPATH /p\nMAXCONN 9\nTRACKINGDELAY 0\n",
		"ACL all 0/0\nACCEPT all\nBOGUS\n",
	},
	UpsdUsersFile: {
		"[u]\npassword = \"a b\"\nactions = SET FSD\ninstcmds = ALL\nupsmon slave\n",
		"[admin]\n\tpassword = mypass\n\tactions = set\n\tactions = fsd\n\tinstcmds = all\n[mon]\n\tpassword=x\n\tupsmon = master\n",
		"[a]\npassword = \"=\"\ninstcmds = \"a b\" \"=\" x\n[b]\nupsmon secondary\nupsmon primary\n",
	},
	UpsmonConfFile: {
		"MONITOR u@[::1]:99 1 a b master\nNOTIFYMSG ONLINE \"%s back\"\nNOTIFYFLAG ONBATT EXEC\nSHUTDOWNCMD \"/bin/echo x\"\nPOWERDOWNFLAG /k\n",
		"MONITOR ups 0 u p secondary\nMINSUPPLIES 0\nNOTIFYCMD /usr/sbin/upssched \"a b\"\nSHUTDOWNEXIT no\nCERTHOST \"h:1\" \"n m\" 1 0\nCERTIDENT a b\nDEBUG_MIN 2\n",
		"NOTIFYFLAG FSD SYSLOG+IGNORE\nNOTIFYMSG alarm \"%s: [%s] 100%%\"\nOBLBDURATION -3\nPOLLFAIL_LOG_THROTTLE_MAX -9\nALARMCRITICAL 0\nCERTVERIFY 5\n",
	},
	UpsschedConfFile: {
		"CMDSCRIPT /x\nPIPEFN /p\nLOCKFN /l\nAT ONBATT * START-TIMER t 5\nAT ONLINE * CANCEL-TIMER t x\n",
		"DEBUG_MIN 1\nCMDSCRIPT \"/my script\" a\nPIPEFN /p\nLOCKFN /l\nAT lowbatt u@h EXECUTE \"x y\"\nAT ONLINE * CANCEL-TIMER-MATCHED t\nAT COMMBAD * START-TIMER-SHARED g 10s\n",
	},
	NutConfFile: {
		"MODE=standalone\nX='it'\\''s'\n",
		"# c\nMODE=netclient\nUPSD_OPTIONS=\"-D \\\"x\\\" \\$y\"\nexport A=1 B\nC='multi\nline'\nD=a\\\nb\n",
	},
}

func TestRoundTrips(t *testing.T) {
	for name, inputs := range roundTripInputs {
		for _, src := range inputs {
			if !roundTripAny(t, name, src) {
				t.Errorf("%s: the round-trip input has errors:\n%s", name, src)
			}
		}
	}
}

// The samples, as shipped and uncommented, round-trip too.
func TestSamplesRoundTrip(t *testing.T) {
	var samples []sample
	for _, get := range []func(*testing.T) []sample{debianSamples, nutSamples} {
		t.Run("", func(t *testing.T) { samples = append(samples, get(t)...) })
	}
	for _, s := range samples {
		text, _ := uncomment(s.name, s.text)
		text = strings.ReplaceAll(text, "LISTEN myhostname 83493", "")
		for _, src := range []string{s.text, text} {
			if !roundTripAny(t, s.name, src) {
				t.Errorf("%s has errors", s.path)
			}
		}
	}
}

func roundTripAny(t *testing.T, name, src string) bool {
	t.Helper()
	switch name {
	case UPSConfFile:
		return roundTrip(t, parseUPS, src)
	case UpsdConfFile:
		return roundTrip(t, parseUpsd, src)
	case UpsdUsersFile:
		return roundTrip(t, parseUsers, src)
	case UpsmonConfFile:
		return roundTrip(t, parseUpsmon, src)
	case UpsschedConfFile:
		return roundTrip(t, parseUpssched, src)
	}
	return roundTrip(t, parseNut, src)
}

// Seeds shared by every fuzz target: tokenizer corners.
var fuzzSeeds = []string{"", "\"#", "a = \\\n b", "[", "=", "[a]\n", "\"unterminated", "a\x00b\xff\n", "x = \"\"\n",
	strings.Repeat("w ", 40) + "\n", "k = " + strings.Repeat("v", 600) + "\n", "'$(x)'\n", "A=`x`\n"}

// fuzzRoundTrip checks that a parser never panics and that what it reads
// without errors round-trips.
func fuzzRoundTrip[T formatter](f *testing.F, name string, parse parser[T]) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	for _, s := range roundTripInputs[name] {
		f.Add(s)
	}
	for _, path := range []string{filepath.Join("/etc/nut", name), filepath.Join(nutSourceDir(), "conf", name+".sample"),
		filepath.Join(nutSourceDir(), "conf", name+".sample.in")} {
		if b, err := os.ReadFile(path); err == nil {
			f.Add(string(b))
			text, _ := uncomment(name, string(b))
			f.Add(text)
		}
	}
	f.Fuzz(func(t *testing.T, src string) {
		roundTrip(t, parse, src)
	})
}

func FuzzUPSConf(f *testing.F)      { fuzzRoundTrip(f, UPSConfFile, parseUPS) }
func FuzzUpsdConf(f *testing.F)     { fuzzRoundTrip(f, UpsdConfFile, parseUpsd) }
func FuzzUpsdUsers(f *testing.F)    { fuzzRoundTrip(f, UpsdUsersFile, parseUsers) }
func FuzzUpsmonConf(f *testing.F)   { fuzzRoundTrip(f, UpsmonConfFile, parseUpsmon) }
func FuzzUpsschedConf(f *testing.F) { fuzzRoundTrip(f, UpsschedConfFile, parseUpssched) }
func FuzzNutConf(f *testing.F)      { fuzzRoundTrip(f, NutConfFile, parseNut) }
