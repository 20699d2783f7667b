// Package healthcheck probes pool members in the background and keeps their
// up/down state with rise/fall hysteresis.
//
// A Registry runs one prober per distinct Target; a Lease is one user's hold
// on a set of them. TCP and HTTP probes open their connections with package
// internal/dial and speak HTTP/1.1 with package internal/http1.
package healthcheck
