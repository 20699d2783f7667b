// Package kube takes pool members from Kubernetes objects: the addresses of
// LoadBalancer Services, Ingresses and Gateways, in one or several
// clusters, with whether each object's path is ready (a Service with a
// ready endpoint, a Gateway programmed).
//
// Watches are client-go informers, one per (cluster, namespace, resource),
// shared by every stanza and reload that needs them, as probers are: a
// Registry hands out leases, starts an informer for its first lease and
// stops it a grace period after its last, so a reload finds the caches
// synced. Reading a lease's members is from the informers' caches, never
// from the API, and never on the query path: the stanza's refresher reads
// them when a watch reports a change, and compiles.
//
// An API server that cannot be reached leaves its informers' caches as they
// were: a pool keeps its last known members (and their probes) until the
// server answers again, and the loss shows in a metric and the log. Only
// the server saying an object is gone removes its members.
package kube
