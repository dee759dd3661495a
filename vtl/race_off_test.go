//go:build !race

package vtl

// raceDetector is set in a build with the race detector, whose shadow
// memory makes resident-memory measures meaningless and slows every byte
// the renderer touches.
const raceDetector = false
