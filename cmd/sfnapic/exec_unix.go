//go:build unix

package main

import "syscall"

// execHelper replaces this process with the helper.
func execHelper(path string, argv, env []string) error {
	return syscall.Exec(path, argv, env)
}
