//go:build !unix

package main

// execHelper cannot replace the process here; handoff runs the helper as
// a child instead.
func execHelper(string, []string, []string) error { return errNoExec }
