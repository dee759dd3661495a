//go:build !race

package gateway_test

// raceDetector is set in a build with the race detector, whose shadow
// memory makes resident-memory measures meaningless.
const raceDetector = false
