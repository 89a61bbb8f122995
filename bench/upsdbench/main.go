package main

import (
	"bufio"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"flag"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"gonut/bench/internal/procstat"
	"gonut/bench/internal/upsdstack"
)

// round is how long a load runs on one server before it moves to the
// other: the load alternates between them, so that what else the machine
// does (it drifts over minutes here) falls on both alike.
const round = time.Second

// pacedEvery is how often the one client of the quiet run asks.
const pacedEvery = 20 * time.Millisecond

func main() {
	upsd := flag.String("upsd", "bin/upsd", "our upsd")
	debian := flag.String("debian", "/lib/nut/upsd", "Debian's upsd")
	driver := flag.String("driver", "bin/dummy-ups", "the driver both follow")
	dur := flag.Duration("d", 20*time.Second, "duration of each load run, per server, in rounds of a second")
	idle := flag.Int("idle", 10000, "idle connections to open")
	out := flag.String("out", "", "also write the report here")
	pinFlag := flag.Bool("pin", true, "run each server on the last core only, the load on the others")
	loadsFlag := flag.String("loads", "1,16,64,16x16,64x16", "the load runs: clients, or clients x requests pipelined, comma-separated")
	skipFlag := flag.Bool("short", false, "only the load runs: no TLS handshakes, no idle connections")
	oursConf := flag.String("conf", "", "a line added to our upsd's upsd.conf, such as 'GONUT_IO_URING_LOOP yes'")
	flag.Parse()
	loads, err := parseLoads(*loadsFlag)
	if err != nil {
		fmt.Fprintln(os.Stderr, "upsdbench: -loads:", err)
		os.Exit(2)
	}
	pin := *pinFlag && procstat.Cores() > 1
	if pin {
		// The load generator keeps off the servers' core.
		if err := exec.Command("taskset", "-pc", fmt.Sprintf("0-%d", procstat.Cores()-2), strconv.Itoa(os.Getpid())).Run(); err != nil {
			fmt.Fprintln(os.Stderr, "upsdbench: taskset:", err)
		}
	}
	if err := run(*upsd, *debian, *driver, *dur, *idle, pin, loads, *skipFlag, *out, *oursConf); err != nil {
		fmt.Fprintln(os.Stderr, "upsdbench:", err)
		os.Exit(1)
	}
}

// A load run: n clients, each with depth requests in flight.
type loadRun struct{ n, depth int }

// parseLoads reads "1,16,64,16x16": clients, or clients x depth.
func parseLoads(s string) ([]loadRun, error) {
	var runs []loadRun
	for _, f := range strings.Split(s, ",") {
		n, depth, pipelined := strings.Cut(strings.TrimSpace(f), "x")
		r := loadRun{depth: 1}
		var err error
		if r.n, err = strconv.Atoi(n); err != nil || r.n < 1 {
			return nil, fmt.Errorf("%q: want a number of clients, optionally followed by x and a pipeline depth", f)
		}
		if pipelined {
			if r.depth, err = strconv.Atoi(depth); err != nil || r.depth < 1 {
				return nil, fmt.Errorf("%q: want a pipeline depth after x", f)
			}
		}
		runs = append(runs, r)
	}
	return runs, nil
}

func run(upsd, debian, driver string, dur time.Duration, idle int, pin bool, loads []loadRun, short bool, out, oursConf string) error {
	st, err := upsdstack.Start(driver)
	if err != nil {
		return err
	}
	defer st.Close()
	var servers []*upsdstack.Server
	defer func() {
		for _, s := range servers {
			s.Stop()
		}
	}()
	for _, s := range []struct{ name, bin string }{{"Debian", debian}, {"gonut", upsd}} {
		u := upsdstack.Upsd{Name: s.name, Bin: s.bin, Conf: fmt.Sprintf("MAXCONN %d\n", idle+100)}
		// STARTTLS: Debian's upsd takes an NSS database, ours a PEM file;
		// both hold a self-signed RSA 2048 certificate for localhost.
		tlsDir := filepath.Join(st.Dir, "tls-"+s.name)
		if s.name == "Debian" {
			if tlsConf, err := nssDB(tlsDir); err == nil {
				u.Conf += tlsConf
			} else {
				fmt.Fprintf(os.Stderr, "upsdbench: no TLS for Debian's upsd: %v\n", err)
			}
		} else {
			if os.Mkdir(tlsDir, 0o700) == nil {
				if pemFile, err := pemCert(filepath.Join(tlsDir, "upsd.pem")); err == nil {
					u.Conf += "CERTFILE " + pemFile + "\n"
				}
			}
			if oursConf != "" {
				u.Conf += oursConf + "\n"
			}
		}
		if pin {
			// Each server gets the same one core; the load has the rest.
			u.Prefix = []string{"taskset", "-c", strconv.Itoa(procstat.Cores() - 1)}
		}
		fmt.Fprintf(os.Stderr, "upsdbench: waiting for %s upsd\n", s.name)
		srv, err := st.StartUpsd(u)
		if err != nil {
			return err
		}
		servers = append(servers, srv)
	}

	var b strings.Builder
	fmt.Fprintf(&b, "# upsd: gonut against Debian's NUT 2.8.0\n\n")
	rounds := max(1, int(dur/round))
	fmt.Fprintf(&b, "Measured %s, clients and servers on the same %d-core machine, both servers following the same driver; %v per load run and server, in %d rounds that alternate between the servers.\n\n",
		time.Now().UTC().Format("2006-01-02"), procstat.Cores(), dur, rounds)
	if pin {
		fmt.Fprintf(&b, "Each server runs on the same one core (taskset), the load generator on the others. ")
	}
	if oursConf != "" {
		fmt.Fprintf(&b, "Our upsd has `%s` in its upsd.conf. ", oursConf)
	}
	fmt.Fprintf(&b, "Clients send GET VAR and wait for the answer (as upsc and upsmon do), or send 16 at once (pipelined); "+
		"server CPU is the server process's user+system time over the run.\n\n")
	fmt.Fprintf(&b, "| measure | Debian | gonut | gonut / Debian |\n|---|---|---|---|\n")
	for _, run := range loads {
		n := run.n
		what := fmt.Sprintf("%d clients", n)
		if run.depth > 1 {
			what += fmt.Sprintf(", %d requests pipelined", run.depth)
		}
		fmt.Fprintf(os.Stderr, "upsdbench: %s\n", what)
		var rate, p99, cpu [2]float64
		var lats [2][]time.Duration
		var took, used [2]time.Duration
		for range rounds {
			for i, s := range servers {
				t0 := procstat.CPUTime(s.Pid())
				lat, d, err := load(s.Addr, n, run.depth, round)
				if err != nil {
					return fmt.Errorf("%s, %s: %v", s.Name, what, err)
				}
				used[i] += procstat.CPUTime(s.Pid()) - t0
				lats[i] = append(lats[i], lat...)
				took[i] += d
			}
		}
		for i := range servers {
			slices.Sort(lats[i])
			rate[i] = float64(len(lats[i])) / took[i].Seconds()
			p99[i] = float64(lats[i][len(lats[i])*99/100].Microseconds())
			cpu[i] = used[i].Seconds() / took[i].Seconds()
		}
		fmt.Fprintf(&b, "| GET VAR/s, %s | %.0f | %.0f | %.2f |\n", what, rate[0], rate[1], rate[1]/rate[0])
		fmt.Fprintf(&b, "| p99 latency, %s | %.0f µs | %.0f µs | %.2f |\n", what, p99[0], p99[1], p99[1]/p99[0])
		fmt.Fprintf(&b, "| server CPU per request, %s | %.1f µs | %.1f µs | %.2f |\n", what,
			cpu[0]/rate[0]*1e6, cpu[1]/rate[1]*1e6, (cpu[1]/rate[1])/(cpu[0]/rate[0]))
	}
	// A quiet server: one client asking every 20 ms, as a few monitors and
	// loggers together might. What counts is what each request costs a
	// server that sleeps in between.
	fmt.Fprintf(os.Stderr, "upsdbench: one client every %v\n", pacedEvery)
	var pcpu [2]time.Duration
	var pwakes, preqs [2]int
	for range rounds {
		for i, s := range servers {
			t0, w0 := procstat.CPUTime(s.Pid()), procstat.Switches(s.Pid())
			n, err := paced(s.Addr, pacedEvery, round)
			if err != nil {
				return fmt.Errorf("%s, paced: %v", s.Name, err)
			}
			pcpu[i] += procstat.CPUTime(s.Pid()) - t0
			pwakes[i] += procstat.Switches(s.Pid()) - w0
			preqs[i] += n
		}
	}
	var perReq, wakesPerReq [2]float64
	for i := range servers {
		perReq[i] = float64(pcpu[i].Microseconds()) / float64(max(preqs[i], 1))
		wakesPerReq[i] = float64(pwakes[i]) / float64(max(preqs[i], 1))
	}
	fmt.Fprintf(&b, "| server CPU per request, 1 client every %v | %.1f µs | %.1f µs | %.2f |\n", pacedEvery, perReq[0], perReq[1], perReq[1]/perReq[0])
	fmt.Fprintf(&b, "| server context switches per request, 1 client every %v | %.1f | %.1f | %.2f |\n", pacedEvery, wakesPerReq[0], wakesPerReq[1], wakesPerReq[1]/wakesPerReq[0])
	if short {
		fmt.Print(b.String())
		return nil
	}
	fmt.Fprintf(os.Stderr, "upsdbench: TLS handshakes\n")
	var hs [2]float64
	for i, s := range servers {
		hs[i] = handshakes(s.Addr, 4, dur)
	}
	fmt.Fprintf(&b, "| STARTTLS handshakes/s, 4 clients | %.0f | %.0f | %.2f |\n", hs[0], hs[1], hs[1]/max(hs[0], 1))
	var held [2]int
	var rss [2]int
	var served [2]bool
	for i, s := range servers {
		fmt.Fprintf(os.Stderr, "upsdbench: %d idle connections to %s\n", idle, s.Name)
		held[i], served[i], rss[i] = holdIdle(s, idle)
	}
	fmt.Fprintf(&b, "| idle connections held (of %d opened) | %d | %d | %.2f |\n", idle, held[0], held[1], float64(held[1])/float64(max(held[0], 1)))
	fmt.Fprintf(&b, "| RSS with them open | %d KiB | %d KiB | %.2f |\n", rss[0], rss[1], float64(rss[1])/float64(max(rss[0], 1)))
	fmt.Fprintf(&b, "| a fresh client served meanwhile | %v | %v | |\n", served[0], served[1])
	fmt.Print(b.String())
	if out != "" {
		return os.WriteFile(out, []byte(b.String()), 0o644)
	}
	return nil
}

// holdIdle opens idle connections, checks a fresh client is served and
// how many idle ones still answer, and reads the server's RSS.
func holdIdle(s *upsdstack.Server, n int) (held int, served bool, rssKB int) {
	// Open them from 32 dialers at once; a dialer stops at its first
	// failure (a server that stops accepting leaves dials hanging in the
	// backlog), and all stop after 30 s.
	var conns []net.Conn
	var mu sync.Mutex
	var wg sync.WaitGroup
	next := make(chan struct{}, n)
	for i := 0; i < n; i++ {
		next <- struct{}{}
	}
	close(next)
	until := time.Now().Add(30 * time.Second)
	for w := 0; w < 32; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range next {
				if time.Now().After(until) {
					return
				}
				c, err := net.DialTimeout("tcp", s.Addr, 2*time.Second)
				if err != nil {
					return
				}
				mu.Lock()
				conns = append(conns, c)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	fmt.Fprintf(os.Stderr, "upsdbench: %d opened\n", len(conns))
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	time.Sleep(time.Second)
	if c, err := net.DialTimeout("tcp", s.Addr, 2*time.Second); err == nil {
		c.SetDeadline(time.Now().Add(5 * time.Second))
		a, _ := upsdstack.Ask(c, bufio.NewReader(c), "GET VAR bench battery.charge")
		served = strings.HasPrefix(a, "VAR ")
		c.Close()
	}
	rssKB = procstat.RSS(s.Pid())
	// Ask every idle connection at once, with one deadline for all.
	deadline := time.Now().Add(10 * time.Second)
	sem := make(chan struct{}, 256)
	for _, c := range conns {
		wg.Add(1)
		sem <- struct{}{}
		go func(c net.Conn) {
			defer func() { <-sem; wg.Done() }()
			c.SetDeadline(deadline)
			if a, err := upsdstack.Ask(c, bufio.NewReader(c), "NETVER"); err == nil && strings.HasPrefix(a, "1.") {
				mu.Lock()
				held++
				mu.Unlock()
			}
		}(c)
	}
	wg.Wait()
	return held, served, rssKB
}

// handshakes counts, over d, the STARTTLS sessions n clients complete
// one after another: connect, STARTTLS, handshake, NETVER, close.
func handshakes(addr string, n int, d time.Duration) float64 {
	var wg sync.WaitGroup
	var mu sync.Mutex
	total := 0
	stop := time.Now().Add(d)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(stop) {
				c, err := net.DialTimeout("tcp", addr, 2*time.Second)
				if err != nil {
					return
				}
				c.SetDeadline(time.Now().Add(5 * time.Second))
				r := bufio.NewReader(c)
				if a, err := upsdstack.Ask(c, r, "STARTTLS"); err != nil || !strings.HasPrefix(a, "OK STARTTLS") {
					c.Close()
					return
				}
				tc := tls.Client(c, &tls.Config{InsecureSkipVerify: true})
				if a, err := upsdstack.Ask(tc, bufio.NewReader(tc), "NETVER"); err == nil && strings.HasPrefix(a, "1.") {
					mu.Lock()
					total++
					mu.Unlock()
				}
				tc.Close()
			}
		}()
	}
	wg.Wait()
	return float64(total) / d.Seconds()
}

// rsaCert makes a self-signed RSA 2048 certificate for localhost.
func rsaCert() (certDER []byte, key *rsa.PrivateKey, err error) {
	key, err = rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "localhost"},
		DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	certDER, err = x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	return certDER, key, err
}

// pemCert writes our upsd's CERTFILE.
func pemCert(path string) (string, error) {
	der, key, err := rsaCert()
	if err != nil {
		return "", err
	}
	body := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	body = append(body, pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})...)
	return path, os.WriteFile(path, body, 0o600)
}

// nssDB makes the NSS database Debian's upsd reads (certutil, from
// libnss3-tools) and returns the upsd.conf lines for it.
func nssDB(dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	pw := filepath.Join(dir, "pw")
	os.WriteFile(pw, []byte("benchpw\n"), 0o600)
	noise := make([]byte, 64)
	rand.Read(noise)
	os.WriteFile(filepath.Join(dir, "noise"), noise, 0o600)
	for _, args := range [][]string{
		{"-N", "-d", "sql:" + dir, "-f", pw},
		{"-S", "-s", "CN=localhost", "-n", "upsd", "-x", "-t", "CTu,Cu,Cu", "-k", "rsa", "-g", "2048", "-d", "sql:" + dir, "-f", pw,
			"-z", filepath.Join(dir, "noise"), "-8", "localhost,127.0.0.1", "-v", "12"},
	} {
		if out, err := exec.Command("certutil", args...).CombinedOutput(); err != nil {
			return "", fmt.Errorf("certutil %s: %v: %s", args[0], err, out)
		}
	}
	return "CERTPATH " + dir + "\nCERTIDENT \"upsd\" \"benchpw\"\n", nil
}
