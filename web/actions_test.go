package web

import (
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"gonut/internal/nuttest"
)

var (
	tokenRe = regexp.MustCompile(`name="token" value="([0-9a-f]+)"`)
	msgRe   = regexp.MustCompile(`<p class="msg" id="msg">([^<]*)</p>`)
)

// browser is an HTTP client with its own cookies that posts forms as a
// page of url would (Origin set), or as another site's (origin given).
type browser struct {
	c   *http.Client
	url string
}

func newBrowser(t *testing.T, u string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{c: &http.Client{Jar: jar}, url: u}
}

// post sends a form and returns the status and the page it ends on (the
// message the page shows, when it is the status page).
func (b *browser) post(path, origin string, form url.Values) (int, string, string) {
	req, _ := http.NewRequest("POST", b.url+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", origin)
	r, err := b.c.Do(req)
	if err != nil {
		return 0, err.Error(), ""
	}
	defer r.Body.Close()
	var sb strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := r.Body.Read(buf)
		sb.Write(buf[:n])
		if err != nil {
			break
		}
	}
	msg := ""
	if m := msgRe.FindStringSubmatch(sb.String()); m != nil {
		msg = m[1]
	}
	return r.StatusCode, sb.String(), msg
}

func (b *browser) page() string {
	r, err := b.c.Get(b.url + "/")
	if err != nil {
		return err.Error()
	}
	defer r.Body.Close()
	var sb strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := r.Body.Read(buf)
		sb.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return sb.String()
}

// TestActions: with -a, a user logs in on the page and SETs a variable
// through Debian's upsd and ours with upsd.users' rights; without the
// session's token, from another site's page, or without rights, nothing
// is done. Without -a there is no login at all.
func TestActions(t *testing.T) {
	conf := "[a]\n\tdriver = dummy-ups\n\tport = a.dev\n"
	debian, ours := nuttest.TwoServers(t, conf, map[string]string{"a.dev": steady}, "a")
	off := startWeb(t, ours, []string{"a"}, ours.HostPort())
	if code, _, _ := newBrowser(t, off).post("/login", off, url.Values{"user": {"admin"}, "password": {"secret"}}); code < 400 {
		t.Errorf("without -a, POST /login answered %d", code)
	}
	if strings.Contains(newBrowser(t, off).page(), `action="/login"`) {
		t.Errorf("without -a, the page offers a login")
	}
	for name, s := range map[string]*nuttest.Stack{"debian": debian, "ours": ours} {
		t.Run(name, func(t *testing.T) {
			u := startWeb(t, s, []string{"a"}, "-a", "-i", "0.2", s.HostPort())
			admin := newBrowser(t, u)
			if !strings.Contains(admin.page(), `action="/login"`) {
				t.Fatal("no login form")
			}
			if _, _, msg := admin.post("/login", u, url.Values{"user": {"admin"}, "password": {"secret"}}); !strings.Contains(msg, "logged in as admin") {
				t.Fatalf("login: %q", msg)
			}
			page := admin.page()
			m := tokenRe.FindStringSubmatch(page)
			if m == nil || !strings.Contains(page, `<option>ups.test.result</option>`) {
				logs, _ := exec.Command("sh", "-c", "cat "+s.Dir+"/nut-web-*.log").Output()
				t.Fatalf("no token or no writable variable in the page:\n%s\n%s", page, logs)
			}
			token := m[1]
			set := func(b *browser, origin, token, value string) (int, string) {
				code, _, msg := b.post("/act/a", origin, url.Values{"token": {token}, "var": {"ups.test.result"}, "value": {value}})
				return code, msg
			}
			value := func() string {
				out, _ := s.Run("upsc", s.Addr("a"), "ups.test.result")
				return strings.TrimSpace(out)
			}
			before := value()
			// Refused: no token, another site's page, another browser
			// with the token but no session.
			if code, _ := set(admin, u, "", "no token"); code != http.StatusForbidden {
				t.Errorf("no token: %d", code)
			}
			if code, _ := set(admin, "http://evil.example", token, "cross-site"); code != http.StatusForbidden {
				t.Errorf("cross-site: %d", code)
			}
			if code, _ := set(newBrowser(t, u), u, token, "no session"); code != http.StatusForbidden {
				t.Errorf("no session: %d", code)
			}
			if v := value(); v != before {
				t.Fatalf("a refused request changed the value to %q", v)
			}
			// Done: upsd takes the SET of a user it allows.
			if code, msg := set(admin, u, token, "set via "+name); code != 200 || !strings.HasSuffix(msg, ": OK") {
				t.Errorf("SET: %d %q", code, msg)
			}
			nuttest.Eventually(t, "upsd shows the value set", func() (bool, string) {
				v := value()
				return v == "set via "+name, v
			})
			// An instant command: the page tells the driver's answer
			// (dummy-ups lists load.off and carries out nothing).
			code, _, msg := admin.post("/act/a", u, url.Values{"token": {token}, "cmd": {"load.off"}})
			t.Logf("load.off: %d %q", code, msg)
			// upsd refuses a user without SET rights, and a bad password.
			for user, pw := range map[string]string{"monuser": "pass", "admin": "wrong"} {
				b := newBrowser(t, u)
				b.post("/login", u, url.Values{"user": {user}, "password": {pw}})
				tok := tokenRe.FindStringSubmatch(b.page())
				if tok == nil {
					t.Fatalf("%s: not logged in", user)
				}
				if _, msg := set(b, u, tok[1], "by "+user); !strings.Contains(msg, "Access denied") {
					t.Errorf("%s/%s: %q, want Access denied", user, pw, msg)
				}
			}
			if v := value(); v != "set via "+name {
				t.Errorf("a refused SET changed the value to %q", v)
			}
			if _, _, msg := admin.post("/logout", u, url.Values{"token": {token}}); msg != "logged out" {
				t.Errorf("logout: %q", msg)
			}
			if code, _ := set(admin, u, token, "after logout"); code != http.StatusForbidden {
				t.Errorf("after logout: %d", code)
			}
		})
	}
}
