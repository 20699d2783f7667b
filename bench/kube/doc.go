// Package kube benchmarks the binary with pool members from Kubernetes,
// against a real API server (internal/kubetest): start-up to the first
// answer and memory with 1,000 discovered Services, beside the same
// addresses as static members; and the time from a Service's status change
// to the changed answer, beside the API's own watch delivery. Benchmarks
// only (go test -run XXX -bench . ./bench/kube); bench/README.md has the
// numbers.
package kube
