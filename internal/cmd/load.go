package cmd

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
)

// readInput reads a file the user names as input: a regular file (or a
// link to one) of at most limit bytes. A device such as /dev/zero, a FIFO
// (which would block) or a directory is refused.
func readInput(name string, limit int64) ([]byte, error) {
	// Stat before opening: opening a FIFO blocks until someone writes.
	if info, err := os.Stat(name); err == nil && !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file (%s)", name, info.Mode().Type())
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file (%s)", name, info.Mode().Type())
	}
	if info.Size() > limit {
		return nil, fmt.Errorf("%s is %d bytes; at most %d are read", name, info.Size(), limit)
	}
	// Read into a buffer of the file's size: io.ReadAll grew its way
	// up to a 10 MB body, allocating it twice over.
	buf := bytes.NewBuffer(make([]byte, 0, info.Size()+bytes.MinRead))
	_, err = buf.ReadFrom(io.LimitReader(f, limit+1))
	b := buf.Bytes()
	if err == nil && int64(len(b)) > limit {
		return nil, fmt.Errorf("%s is over %d bytes", name, limit)
	}
	return b, err
}

// templateFormat decides the format of a template: the --format flag when
// given (in any case, yml as yaml, since -o x.yml means YAML too), else
// the extension of the file it goes to or is compared with (.yaml or .yml
// for YAML), else JSON.
func templateFormat(flag string, flagSet bool, file string) (string, error) {
	if flagSet {
		switch f := strings.ToLower(flag); f {
		case "json", "yaml":
			return f, nil
		case "yml":
			return "yaml", nil
		}
		return "", usagef("--format must be json, yaml or yml, not %q", flag)
	}
	switch strings.ToLower(filepath.Ext(file)) {
	case ".yaml", ".yml":
		return "yaml", nil
	}
	return "json", nil
}

// maxReadBytes bounds the other files commands read: a template to check
// or render, a request body (API Gateway takes at most 10 MB), a reply.
const maxReadBytes = 16 << 20

// writeFile replaces name atomically: readers see the old file or the new
// one, never half of one.
//
//   - A symbolic link is followed: the file it points to is replaced, and
//     the link stays.
//   - An existing file keeps its permissions; a new one gets 0666 less
//     the umask, as any file a program creates (0644 under the usual
//     umask 022, 0600 under 077).
//   - What is not a regular file (a directory, a FIFO, a device) and a
//     read-only file are refused: nothing the user has is replaced by
//     surprise.
//   - Ctrl-C, SIGTERM or SIGHUP during the write removes the temporary
//     file and leaves the old file as it was.
func writeFile(name string, data []byte) error {
	return writeFileWatched(name, data, watchInterrupts)
}

// watchInterrupts starts watching for Ctrl-C, SIGTERM and SIGHUP
// (stopSignals), which then no longer end the process; stop ends the
// watch and reports whether one came.
func watchInterrupts() (stop func() bool) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, stopSignals()...)
	return func() bool {
		signal.Stop(ch)
		select {
		case <-ch:
			return true
		default:
			return false
		}
	}
}

// errWriteInterrupted: the write was stopped by a signal; nothing changed.
var errWriteInterrupted = exitCode{130, errors.New("interrupted: nothing was written")}

func writeFileWatched(name string, data []byte, watch func() (stop func() bool)) error {
	target, mode, err := writeTarget(name)
	if err != nil {
		return err
	}
	stop := watch()
	perm := mode
	if mode == 0 {
		perm = 0o666 // a new file: the OS takes the umask off
	}
	tmp, err := createTemp(filepath.Dir(target), "."+filepath.Base(target)+".tmp", perm)
	if err != nil {
		stop()
		return err
	}
	done := false
	defer func() {
		if !done {
			os.Remove(tmp.Name())
		}
	}()
	_, err = tmp.Write(data)
	if err == nil && mode != 0 {
		err = tmp.Chmod(mode) // exactly the old file's, whatever the umask
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if stop() {
		return errWriteInterrupted
	}
	if err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), target); err != nil {
		return err
	}
	done = true
	return nil
}

// createTemp creates a new file in dir, named prefix and a random
// suffix, with perm less the umask. (os.CreateTemp always asks for 0600,
// which would hide the umask from a new file.)
func createTemp(dir, prefix string, perm fs.FileMode) (*os.File, error) {
	for try := 0; ; try++ {
		name := filepath.Join(dir, prefix+strconv.FormatUint(rand.Uint64(), 36))
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, perm)
		if !errors.Is(err, fs.ErrExist) || try == 100 {
			return f, err
		}
	}
}

// writeTarget is the file that writing name replaces, and the mode to give
// it: an existing file's own, or 0 for a new file, which gets what the
// umask leaves of 0666.
func writeTarget(name string) (string, fs.FileMode, error) {
	target := name
	if resolved, err := filepath.EvalSymlinks(name); err == nil {
		target = resolved
	} else if li, lerr := os.Lstat(name); lerr == nil && li.Mode()&fs.ModeSymlink != 0 {
		return "", 0, fmt.Errorf("%s is a symbolic link to nothing; write to a file instead", name)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", 0, err
	}
	info, err := os.Stat(target)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return target, 0, nil
	case err != nil:
		return "", 0, err
	case !info.Mode().IsRegular():
		return "", 0, fmt.Errorf("%s is not a regular file (%s); write to a file instead", name, info.Mode().Type())
	case info.Mode().Perm()&0o200 == 0:
		return "", 0, fmt.Errorf("%s is read-only; make it writable or choose another file", name)
	}
	return target, info.Mode().Perm(), nil
}
