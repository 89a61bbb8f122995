package words

import "io"

// Stream reads lines of words from a byte stream (a socket), one request
// at a time, as NUT's daemons do: bounded by the tokenizer's limits, so a
// huge line is cut, never buffered whole.
type Stream struct {
	r io.ByteReader
	t Tokenizer
}

// NewStream reads from r; give it a buffered reader.
func NewStream(r io.ByteReader) *Stream { return &Stream{r: r} }

// Next returns the next line's words: none for an empty line or one that
// is only a comment (NUT's upsd answers those too). A malformed line is
// returned as its error with nil words, and reading goes on after it; the
// stream's end or failure is returned as io.EOF or the read error.
func (s *Stream) Next() ([]string, error, error) {
	for {
		b, err := s.r.ReadByte()
		if err != nil {
			return nil, nil, err
		}
		switch s.t.Feed(b) {
		case Error:
			return nil, s.t.Err(), nil
		case Done:
			return s.t.Words(), nil, nil
		}
	}
}

// NextLine returns the next line that is not malformed (an empty one has
// no words), handing bad each malformed line's error on the way; err is
// what ended the stream (io.EOF at its end, or the read error).
func (s *Stream) NextLine(bad func(error)) (w []string, err error) {
	for {
		w, malformed, err := s.Next()
		switch {
		case err != nil:
			return nil, err
		case malformed != nil:
			bad(malformed)
		default:
			return w, nil
		}
	}
}
