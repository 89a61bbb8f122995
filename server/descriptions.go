package server

import (
	"os"
	"path/filepath"
	"strings"

	"gonut/words"
)

// descriptions are the texts of GET DESC and GET CMDDESC, from NUT's
// cmdvartab data file (VARDESC and CMDDESC lines) in the data path.
type descriptions struct {
	vars, cmds map[string]string
}

// loadDescriptions reads cmdvartab; a missing file only means that every
// description is "Description unavailable".
func loadDescriptions(dataPath string) descriptions {
	d := descriptions{vars: map[string]string{}, cmds: map[string]string{}}
	f, err := os.Open(filepath.Join(dataPath, "cmdvartab"))
	if err != nil {
		return d
	}
	defer f.Close()
	lines, _ := words.ReadAll(f)
	for _, l := range lines {
		if len(l.Words) < 3 {
			continue
		}
		switch l.Words[0] {
		case "VARDESC":
			d.vars[strings.ToLower(l.Words[1])] = l.Words[2]
		case "CMDDESC":
			d.cmds[strings.ToLower(l.Words[1])] = l.Words[2]
		}
	}
	return d
}

func (d descriptions) get(kind, name string) string {
	m := d.vars
	if kind == "CMDDESC" {
		m = d.cmds
	}
	if s, ok := m[strings.ToLower(name)]; ok {
		return s
	}
	return "Description unavailable"
}
