package cmd

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// TestExitCodesIgnoreHooks: a command's exit code comes from its own
// RunE wrapper, so a command that sets its own PersistentPreRun (which in
// cobra replaces the root's) still exits 1 for a runtime error and 2 for
// a usage error.
func TestExitCodesIgnoreHooks(t *testing.T) {
	for _, tc := range []struct {
		err  error
		args []string
		want int
	}{
		{errors.New("boom"), nil, exitFailure},
		{usagef("bad"), nil, exitUsage},
		{exitCode{130, errReported}, nil, 130},
		{nil, nil, exitOK},
		{nil, []string{"--nope"}, exitUsage},
		{nil, []string{"extra"}, exitUsage},
	} {
		root := &cobra.Command{Use: "sfnapic", SilenceErrors: true, SilenceUsage: true}
		group := &cobra.Command{Use: "group", PersistentPreRun: func(*cobra.Command, []string) {}}
		err := tc.err
		group.AddCommand(&cobra.Command{Use: "leaf", Args: exactArgs(0, "nothing"),
			RunE: runE(func(*cobra.Command, []string) error { return err })})
		root.AddCommand(group)
		var out, errb bytes.Buffer
		code := execute(context.Background(), root, append([]string{"group", "leaf"}, tc.args...), strings.NewReader(""), &out, &errb)
		if code != tc.want {
			t.Errorf("%v %v: exit %d, want %d\n%s", tc.err, tc.args, code, tc.want, errb.String())
		}
	}
}
