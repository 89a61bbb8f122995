package words

import (
	"bufio"
	"io"
)

// Line is one logical line of a file: its words, or why it is malformed.
type Line struct {
	Num      int      // physical line on which the logical line starts (1-based)
	Words    []string // empty for a line with no words
	Warnings []string // what was dropped from the line
	Err      error    // non-nil: the line is malformed and Words is nil
}

// Scanner reads a file line by line. Lines without words (blank lines and
// comments) are skipped. An I/O error ends the scan; malformed lines do not.
type Scanner struct {
	r    *bufio.Reader
	t    Tokenizer
	phys int // physical lines consumed so far
	line Line
	err  error
	eof  bool
}

// NewScanner reads from r with NUT's default limits.
func NewScanner(r io.Reader) *Scanner {
	return &Scanner{r: bufio.NewReader(r)}
}

// Scan advances to the next line with words or with an error.
func (s *Scanner) Scan() bool {
	for !s.eof {
		start := s.phys + 1
		var res Result
		for {
			c, err := s.r.ReadByte()
			if err != nil {
				s.eof = true
				if err != io.EOF {
					s.err = err
					return false
				}
				res = s.t.Flush()
				break
			}
			if c == '\n' {
				s.phys++
			}
			if res = s.t.Feed(c); res != More {
				break
			}
		}
		switch res {
		case Error:
			s.line = Line{Num: start, Err: s.t.Err()}
			if !s.eof {
				// The error is on the current physical line; the
				// tokenizer ignores the rest of it.
				s.line.Num = s.phys + 1
				s.skipLine()
			}
			return true
		case Done:
			if len(s.t.Words()) == 0 {
				continue
			}
			s.line = Line{Num: start, Words: s.t.Words(), Warnings: s.t.Warnings()}
			return true
		}
	}
	return false
}

func (s *Scanner) skipLine() {
	for {
		c, err := s.r.ReadByte()
		if err != nil {
			return // the next Scan sees the error again
		}
		s.t.Feed(c)
		if c == '\n' {
			s.phys++
			return
		}
	}
}

// Line returns the line Scan found.
func (s *Scanner) Line() Line { return s.line }

// Err returns the I/O error that ended the scan, if any.
func (s *Scanner) Err() error { return s.err }

// ReadAll returns every line of r with words or an error.
func ReadAll(r io.Reader) ([]Line, error) {
	s := NewScanner(r)
	var lines []Line
	for s.Scan() {
		lines = append(lines, s.Line())
	}
	return lines, s.Err()
}
