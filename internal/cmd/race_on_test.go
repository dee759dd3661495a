//go:build race

package cmd

// raceEnabled is set in a build with the race detector, whose shadow
// memory makes resident-memory measures meaningless.
const raceEnabled = true
