package web

import (
	"fmt"
	"io"
	"math"
	"strings"
	"time"
)

// plotSVG draws one plotted variable's history as an SVG line, the last
// span up to now, its range marked at the left.
func plotSVG(w io.Writer, hist []Sample, idx int, now time.Time, span time.Duration) {
	const plotWidth, height, pad = 160.0, 60.0, 2.0
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range hist {
		if v := s.V[idx]; !math.IsNaN(v) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %g %g" width="%g" height="%g">`, plotWidth, height, plotWidth, height)
	b.WriteString(`<rect width="100%" height="100%" fill="#f6f6f6"/>`)
	if lo <= hi {
		if hi-lo < 1e-9 {
			lo, hi = lo-1, hi+1
		}
		// The x axis runs from the oldest sample kept (at most span ago)
		// to now, so that a short history fills the plot.
		start := now.Add(-span)
		if len(hist) > 0 && hist[0].T.After(start) {
			start = hist[0].T
		}
		if !now.After(start) {
			start = now.Add(-time.Second)
		}
		width := float64(now.Sub(start))
		var path strings.Builder
		pen := false
		for _, s := range hist {
			v := s.V[idx]
			if math.IsNaN(v) || s.T.Before(start) {
				pen = false
				continue
			}
			x := pad + (plotWidth-2*pad)*float64(s.T.Sub(start))/width
			y := height - pad - (height-2*pad)*(v-lo)/(hi-lo)
			cmd := "L"
			if !pen {
				cmd = "M"
			}
			fmt.Fprintf(&path, "%s%.1f %.1f ", cmd, x, y)
			pen = true
		}
		fmt.Fprintf(&b, `<path d="%s" fill="none" stroke="#2a6fb0" stroke-width="1.5"/>`, strings.TrimSpace(path.String()))
		fmt.Fprintf(&b, `<text x="4" y="12" font-size="10" fill="#555">%g</text><text x="4" y="%g" font-size="10" fill="#555">%g</text>`, hi, height-4, lo)
	}
	b.WriteString(`</svg>`)
	io.WriteString(w, b.String())
}
