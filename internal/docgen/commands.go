package main

import (
	"bytes"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra/doc"

	"github.com/sfnapic/sfnapic/internal/cmd"
)

// commandDocs generates the command reference with cobra's own generator:
// "commands" holds one Markdown page per command, "man" one man page each,
// by file name. Each tree is generated from a fresh command tree, since
// the generators add help flags to the commands they visit.
func commandDocs() map[string]map[string][]byte {
	md := generated(func(root string) error {
		c := cmd.CommandTree()
		c.DisableAutoGenTag = true // the date line would change every day
		return doc.GenMarkdownTree(c, root)
	})
	man := generated(func(root string) error {
		c := cmd.CommandTree()
		c.DisableAutoGenTag = true
		// A fixed date, replaced by "" below: the real date would make go
		// generate change the tree every month.
		return doc.GenManTree(c, &doc.GenManHeader{Section: "1", Source: "sfnapic",
			Manual: "sfnapic manual", Date: &manDate}, root)
	})
	for name, b := range man {
		man[name] = bytes.Replace(b, []byte(`"`+manDate.Format("Jan 2006")+`"`), []byte(`""`), 1)
	}
	return map[string]map[string][]byte{"commands": md, "man": man}
}

var manDate = time.Date(2000, time.January, 1, 0, 0, 0, 0, time.UTC)

// generated runs gen on a temporary folder and returns the files it wrote.
// A failure is a bug of sfnapic's command tree or of cobra: it panics,
// which go generate and the freshness test both report.
func generated(gen func(dir string) error) map[string][]byte {
	dir, err := os.MkdirTemp("", "sfnapic-docgen")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	if err := gen(dir); err != nil {
		panic(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		panic(err)
	}
	out := map[string][]byte{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			panic(err)
		}
		out[e.Name()] = b
	}
	return out
}
