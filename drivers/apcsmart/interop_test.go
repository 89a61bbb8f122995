package apcsmart_test

import (
	"context"
	"log/slog"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"gonut/drivers/apcsmart"
	"gonut/drivers/apcsmart/apcsim"
	"gonut/drivers/core"
	"gonut/internal/nuttest"
	"gonut/internal/plainlog"
)

const debianAPCSmart = "/lib/nut/apcsmart"

// pair is Debian's apcsmart ([deb]) and ours ([ours]), each on a
// simulated Smart-UPS of its own, behind Debian's upsd.
type pair struct {
	s        *nuttest.Stack
	deb, our *apcsim.UPS
	log      *syncBuffer
}

func startPair(t *testing.T, extra string) *pair {
	t.Helper()
	nuttest.NeedDebianNUT(t)
	if _, err := os.Stat(debianAPCSmart); err != nil {
		t.Skip("Debian's apcsmart is not installed (nut-server)")
	}
	pd, deb := simPTY(t)
	po, our := simPTY(t)
	conf := "[deb]\n\tdriver = apcsmart\n\tport = " + pd.Path + "\n" + extra +
		"[ours]\n\tdriver = apcsmart\n\tport = " + po.Path + "\n" + extra
	s := nuttest.NewStack(t, conf, nil)
	s.Start(debianAPCSmart, "-a", "deb", "-u", "root", "-F")
	p := &pair{s: s, deb: deb, our: our, log: &syncBuffer{}}
	vars := func(k string) string {
		switch k {
		case "NUT_CONFPATH", "NUT_STATEPATH", "NUT_ALTPIDPATH":
			return s.Dir
		}
		return ""
	}
	done := make(chan error, 1)
	go func() {
		done <- core.Run(context.Background(), apcsmart.New(openRaw, time.Now), core.Args{UPS: "ours"},
			core.Env{Vars: vars, Clock: core.RealClock(), Stdout: os.Stdout, Log: plainlog.New(p.log, slog.LevelDebug)})
	}()
	t.Cleanup(func() {
		core.SendCommand(vars, "apcsmart", "ours", "exit", 0)
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			t.Error("our driver did not exit")
		}
	})
	s.WaitSocket("apcsmart", "deb")
	s.WaitSocket("apcsmart", "ours")
	s.StartUpsd()
	for _, u := range []string{"deb", "ours"} {
		nuttest.Eventually(t, "upsd serves "+u, func() (bool, string) {
			r := nuttest.Exec("", "upsc", s.Addr(u), "ups.status")
			return r.Code == 0 && r.Out != "", r.Out + r.Err
		})
	}
	return p
}

// same runs a client for both UPSes and compares what it prints, with
// what must differ (names, versions, ports) taken out.
func (p *pair) same(t *testing.T, client string, args ...string) string {
	t.Helper()
	run := func(ups string) nuttest.Result {
		a := make([]string, len(args))
		for i, x := range args {
			a[i] = strings.ReplaceAll(x, "UPS", p.s.Addr(ups))
		}
		r := nuttest.Exec("", client, a...)
		r.Out = normalise(r.Out, ups)
		return r
	}
	d, o := run("deb"), run("ours")
	if d != o {
		t.Errorf("%s %v differs:\nDebian's:\n%s%s\nours:\n%s%s", client, args, d.Out, d.Err, o.Out, o.Err)
	}
	return d.Out
}

var drop = regexp.MustCompile(`(?m)^(driver\.version|driver\.parameter\.port|driver\.parameter\.synchronous|driver\.parameter\.pollinterval): .*\n`)

func normalise(out, ups string) string {
	out = strings.ReplaceAll(out, ups, "UPS")
	return drop.ReplaceAllString(out, "")
}

func TestSameAsDebian(t *testing.T) {
	p := startPair(t, "")
	t.Logf("upsc:\n%s", p.same(t, "upsc", "UPS"))
	t.Logf("upsrw:\n%s", p.same(t, "upsrw", "UPS"))
	t.Logf("upscmd:\n%s", p.same(t, "upscmd", "-l", "UPS"))
}
