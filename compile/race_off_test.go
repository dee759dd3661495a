//go:build !race

package compile

// raceEnabled is set in a build with the race detector.
const raceEnabled = false
