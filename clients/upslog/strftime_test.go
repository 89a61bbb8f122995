package upslog

import (
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Strftime agrees with the C library's, as date(1) runs it, over many
// instants and every conversion upslog users are likely to write.
func TestStrftimeAgreesWithDate(t *testing.T) {
	if _, err := exec.LookPath("date"); err != nil {
		t.Skip("date(1) not found")
	}
	format := "%a %A %b %B %c %C %d %D %e %F %g %G %h %H %I %j %k %l %m %M %n %p %P %r %R %s %S %t %T %u %U %V %w %W %x %X %y %Y %z %Z %% %Ey %Od"
	loc := time.UTC
	for _, unix := range []int64{0, 951782400, 1230768000, 1704067199, 1735689600, 1767225599, 1782000000, 4102444800} {
		for _, h := range []int64{0, 5*3600 + 7*60 + 9, 12 * 3600, 23*3600 + 59*60 + 59} {
			at := unix + h
			cmd := exec.Command("date", "-u", "-d", "@"+strconv.FormatInt(at, 10), "+"+format)
			cmd.Env = []string{"LC_ALL=C", "TZ=UTC"}
			out, err := cmd.Output()
			if err != nil {
				t.Fatal(err)
			}
			want := strings.TrimSuffix(string(out), "\n")
			if got := Strftime(format, time.Unix(at, 0).In(loc)); got != want {
				t.Errorf("at %d:\n got %q\nwant %q", at, got, want)
			}
		}
	}
}
