package cdp

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Browser is a headless Chromium started for a test.
type Browser struct {
	cmd  *exec.Cmd
	http string // host:port of its DevTools HTTP endpoint
}

// Start runs chromium headless with a profile in dir, a window of width x
// height, and waits for its DevTools endpoint.
func Start(bin, dir string, width, height int) (*Browser, error) {
	cmd := exec.Command(bin, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--disable-extensions", "--disable-background-networking", "--disable-dev-shm-usage",
		"--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
		"--user-data-dir="+filepath.Join(dir, "profile"), fmt.Sprintf("--window-size=%d,%d", width, height), "about:blank")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if rest, ok := strings.CutPrefix(sc.Text(), "DevTools listening on "); ok {
				found <- rest
			}
		}
	}()
	select {
	case ws := <-found:
		host := strings.TrimPrefix(ws, "ws://")
		host, _, _ = strings.Cut(host, "/")
		return &Browser{cmd: cmd, http: host}, nil
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		return nil, errors.New("chromium never said where DevTools listen")
	}
}

// Close ends the browser.
func (b *Browser) Close() {
	b.cmd.Process.Kill()
	b.cmd.Wait()
}

// Page is one tab, driven over its own DevTools WebSocket.
type Page struct {
	ws *wsConn
	mu sync.Mutex
	id int
}

// Page connects to the browser's first page.
func (b *Browser) Page() (*Page, error) {
	resp, err := http.Get("http://" + b.http + "/json/list")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var targets []struct{ Type, WebSocketDebuggerURL string }
	if err := json.NewDecoder(resp.Body).Decode(&targets); err != nil {
		return nil, err
	}
	for _, t := range targets {
		if t.Type == "page" && wsURL(t.WebSocketDebuggerURL) {
			ws, err := dialWS(t.WebSocketDebuggerURL)
			if err != nil {
				return nil, err
			}
			return &Page{ws: ws}, nil
		}
	}
	return nil, errors.New("chromium has no page")
}

// Call sends one DevTools command and returns its result, skipping the
// events that come before it.
func (p *Page) Call(method string, params any, result any) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.id++
	msg, err := json.Marshal(map[string]any{"id": p.id, "method": method, "params": params})
	if err != nil {
		return err
	}
	p.ws.conn.SetDeadline(time.Now().Add(30 * time.Second))
	if err := p.ws.send(0x1, msg); err != nil {
		return err
	}
	for {
		in, err := p.ws.receive()
		if err != nil {
			return err
		}
		var ans struct {
			ID     int
			Result json.RawMessage
			Error  *struct{ Message string }
		}
		if err := json.Unmarshal(in, &ans); err != nil {
			return err
		}
		if ans.ID != p.id {
			continue
		}
		if ans.Error != nil {
			return fmt.Errorf("%s: %s", method, ans.Error.Message)
		}
		if result == nil {
			return nil
		}
		return json.Unmarshal(ans.Result, result)
	}
}

// Navigate loads url.
func (p *Page) Navigate(url string) error {
	return p.Call("Page.navigate", map[string]any{"url": url}, nil)
}

// Eval evaluates a JavaScript expression whose value is a string.
func (p *Page) Eval(expr string) (string, error) {
	var r struct {
		Result struct {
			Type  string
			Value any
		}
		ExceptionDetails *struct{ Text string }
	}
	if err := p.Call("Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true}, &r); err != nil {
		return "", err
	}
	if r.ExceptionDetails != nil {
		return "", fmt.Errorf("%s: %s", expr, r.ExceptionDetails.Text)
	}
	s, _ := r.Result.Value.(string)
	return s, nil
}

// Screenshot writes the page as a PNG file.
func (p *Page) Screenshot(path string) error {
	var r struct{ Data string }
	if err := p.Call("Page.captureScreenshot", map[string]any{"format": "png"}, &r); err != nil {
		return err
	}
	png, err := base64.StdEncoding.DecodeString(r.Data)
	if err != nil {
		return err
	}
	return os.WriteFile(path, png, 0o644)
}

// Close ends the page's connection.
func (p *Page) Close() error { return p.ws.Close() }
