package sockproto

import (
	"bufio"

	"gonut/words"
)

// ReadMessages reads the protocol's lines from r, on either side of the
// socket, until it ends or do returns false: do gets each line with
// words, bad each malformed line's error (reading goes on after it), and
// empty lines are skipped. A line is at most a few KiB in NUT (32 words of
// 512 characters); anything longer is cut by the tokenizer's limits, never
// buffered whole. It returns what ended the input, or nil when do did.
func ReadMessages(r *bufio.Reader, bad func(error), do func(Message) bool) error {
	in := words.NewStream(r)
	for {
		w, err := in.NextLine(bad)
		if err != nil {
			return err
		}
		if len(w) == 0 {
			continue
		}
		if m, _ := FromWords(w); !do(m) {
			return nil
		}
	}
}
