package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"testing"

	"gonut/internal/cdp"
	"gonut/internal/nuttest"
)

// TestActionsInChromium: in a real browser, a user logs in on the page
// and SETs a variable through upsd; a page of another origin that posts
// the same form to nut-web (even with the session's token, as if it had
// leaked) changes nothing: the browser sends the cookie along, nut-web
// refuses the request.
func TestActionsInChromium(t *testing.T) {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("needs chromium (Debian's chromium package)")
	}
	_, ours := nuttest.TwoServers(t, "[a]\n\tdriver = dummy-ups\n\tport = a.dev\n", map[string]string{"a.dev": steady}, "a")
	url := startWeb(t, ours, []string{"a"}, "-a", "-i", "0.2", ours.HostPort())
	value := func() string {
		out, _ := ours.Run("upsc", ours.Addr("a"), "ups.test.result")
		return strings.TrimSpace(out)
	}

	b, err := cdp.Start(chromium, t.TempDir(), 1280, 900)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	page, err := b.Page()
	if err != nil {
		t.Fatal(err)
	}
	defer page.Close()
	// waitFor waits until the loaded page's body holds text.
	waitFor := func(text string) {
		t.Helper()
		nuttest.Eventually(t, "the page shows "+text, func() (bool, string) {
			body, err := page.Eval(`document.readyState === "complete" ? location.href + "\n" + document.body.innerText : ""`)
			return err == nil && strings.Contains(body, text), body + nuttest.ErrString(err)
		})
	}
	if err := page.Navigate(url); err != nil {
		t.Fatal(err)
	}
	waitFor("log in")
	if _, err := page.Eval(`(function () { var f = document.querySelector('form[action="/login"]');
		f.user.value = "admin"; f.password.value = "secret"; f.submit(); return ""; })()`); err != nil {
		t.Fatal(err)
	}
	waitFor("logged in as admin")
	if _, err := page.Eval(`(function () { var f = document.querySelector('form.set');
		f.var.value = "ups.test.result"; f.value.value = "set in chromium"; f.submit(); return ""; })()`); err != nil {
		t.Fatal(err)
	}
	waitFor("a: SET ups.test.result = set in chromium: OK")
	nuttest.Eventually(t, "upsd has the value", func() (bool, string) { v := value(); return v == "set in chromium", v })
	token, err := page.Eval(`document.querySelector('form.set input[name="token"]').value`)
	if err != nil || token == "" {
		t.Fatalf("no token in the page: %q %v", token, err)
	}

	// Another origin (another port of the same host: the same site, so
	// SameSite lets the cookie through) posts the form, with and without
	// the token.
	for _, tok := range []string{"", token} {
		evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(w, `<!DOCTYPE html><form method="post" action="%s/act/a"><input name="token" value="%s">
<input name="var" value="ups.test.result"><input name="value" value="cross-site"></form>
<script>document.forms[0].submit()</script>`, url, tok)
		}))
		if err := page.Navigate(evil.URL); err != nil {
			t.Fatal(err)
		}
		waitFor("forbidden")
		evil.Close()
		if v := value(); v != "set in chromium" {
			t.Fatalf("a cross-site form (token %q) changed the value to %q", tok, v)
		}
	}
}
