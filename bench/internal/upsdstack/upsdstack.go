// Package upsdstack sets up what the upsd benchmarks measure: one
// dummy-ups driver serving the UPS "bench" (ups.status, battery.charge and
// 50 more variables), and any number of upsd servers, Debian's or ours,
// that follow it, each on a free loopback port.
package upsdstack

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"gonut/internal/freeport"
)

// UPS is the name of the UPS every server serves.
const UPS = "bench"

// Stack is the driver and the directory the servers keep their files in.
type Stack struct {
	Dir    string
	driver *exec.Cmd

	mu      sync.Mutex
	servers []*Server // every server started, for Close
}

// Start writes the UPS's files in a new temporary directory and starts
// the driver (bin is a dummy-ups).
func Start(driver string) (*Stack, error) {
	dir, err := os.MkdirTemp("", "upsdstack")
	if err != nil {
		return nil, err
	}
	var dev strings.Builder
	dev.WriteString("ups.status: OL\nbattery.charge: 100\n")
	for i := 0; i < 50; i++ {
		fmt.Fprintf(&dev, "bench.value%d: %d\n", i, i)
	}
	files := map[string]string{"ups.conf": upsConf, "bench.dev": dev.String(), "upsd.users": ""}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o640); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
	}
	drv := exec.Command(driver, "-a", UPS, "-u", "root", "-F")
	drv.Env = append(os.Environ(), "NUT_CONFPATH="+dir, "NUT_STATEPATH="+dir, "NUT_ALTPIDPATH="+dir)
	if err := drv.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return &Stack{Dir: dir, driver: drv}, nil
}

const upsConf = "[" + UPS + "]\n\tdriver = dummy-ups\n\tport = bench.dev\n"

// Close kills every server still running and the driver, and removes
// the directory. It may be called while servers are in use (on SIGINT).
func (s *Stack) Close() {
	s.mu.Lock()
	for _, srv := range s.servers {
		srv.Cmd.Process.Kill()
	}
	s.mu.Unlock()
	s.driver.Process.Kill()
	s.driver.Wait()
	os.RemoveAll(s.Dir)
}

// Upsd is a server to start.
type Upsd struct {
	Name  string
	Bin   string
	Conf  string   // upsd.conf lines after the LISTEN line
	Users string   // upsd.users
	Env   []string // added to the environment
	// Prefix runs before the server's command line (taskset -c 1, a
	// launcher that execs the rest).
	Prefix []string
	Log    io.Writer // its stdout and stderr; nil: discarded
}

// Server is a running upsd.
type Server struct {
	Name string
	Addr string // host:port
	Dir  string // its NUT_CONFPATH
	Cmd  *exec.Cmd
}

// StartUpsd starts a server on a free port, in a directory of its own,
// and waits until it serves the UPS.
func (s *Stack) StartUpsd(u Upsd) (*Server, error) {
	sdir, err := os.MkdirTemp(s.Dir, strings.ReplaceAll(u.Name, "/", "_")+"-")
	if err != nil {
		return nil, err
	}
	port := freeport.Must()
	files := map[string]string{
		"upsd.conf":  fmt.Sprintf("LISTEN 127.0.0.1 %d\n", port) + u.Conf,
		"upsd.users": u.Users,
		"ups.conf":   upsConf,
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(sdir, name), []byte(body), 0o640); err != nil {
			return nil, err
		}
	}
	args := append(append([]string(nil), u.Prefix...), u.Bin, "-u", "root", "-F")
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Env = append(os.Environ(), "NUT_CONFPATH="+sdir, "NUT_STATEPATH="+s.Dir, "NUT_ALTPIDPATH="+sdir)
	cmd.Env = append(cmd.Env, u.Env...)
	cmd.Stdout, cmd.Stderr = u.Log, u.Log
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	srv := &Server{Name: u.Name, Addr: fmt.Sprintf("127.0.0.1:%d", port), Dir: sdir, Cmd: cmd}
	s.mu.Lock()
	s.servers = append(s.servers, srv)
	s.mu.Unlock()
	if err := WaitServing(srv.Addr); err != nil {
		srv.Stop()
		return nil, fmt.Errorf("%s: %v", u.Name, err)
	}
	return srv, nil
}

// Pid is the server's process id.
func (srv *Server) Pid() int { return srv.Cmd.Process.Pid }

// Stop kills the server and waits for it.
func (srv *Server) Stop() {
	srv.Cmd.Process.Kill()
	srv.Cmd.Wait()
}

// Ask sends one request line and reads one answer line.
func Ask(c net.Conn, r *bufio.Reader, line string) (string, error) {
	if _, err := c.Write([]byte(line + "\n")); err != nil {
		return "", err
	}
	return r.ReadString('\n')
}

// WaitServing waits until a server at addr answers for the UPS's
// battery.charge (it follows the driver).
func WaitServing(addr string) error {
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.SetDeadline(time.Now().Add(2 * time.Second))
			a, _ := Ask(c, bufio.NewReader(c), "GET VAR "+UPS+" battery.charge")
			c.Close()
			if strings.HasPrefix(a, "VAR ") {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("%s never served the UPS", addr)
}
