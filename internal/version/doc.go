// Package version holds the one NUT version that every gonut program
// answers to: in banners, -V, upsd's VER and the drivers' driver.version.
package version
