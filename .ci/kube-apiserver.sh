#!/usr/bin/env bash
# Builds a real kube-apiserver from Go modules for internal/kubetest and keeps
# it in $CACHE/kube-apiserver-$VERSION/, outside the clone, so that only the
# first run on a machine pays for the build. internal/kubetest reads the same
# path (keep VERSION in step with its kubetest.go).
#
# k8s.io/kubernetes is not meant to be required: its go.mod names every
# staging module (k8s.io/api, apiserver, client-go, ...) at v0.0.0 and points
# it at ./staging, which a module download does not carry. So the wrapper
# module replaces each of them with the v0.X.Y release cut with vX.Y, read
# from that go.mod so a new version brings its own list.
set -euo pipefail

VERSION=1.37.2
CACHE="${GSLB_CACHE:-$HOME/.cache/gslb}"
dest="$CACHE/kube-apiserver-$VERSION"
bin="$dest/kube-apiserver"
if [ -x "$bin" ]; then
    echo "kube-apiserver v$VERSION: cached at $bin"
    exit 0
fi

start=$(date +%s)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

staging="v0.${VERSION#*.}" # 1.37.2 -> v0.37.2
cat >go.mod <<EOF
module gslb.test/kube-apiserver

go 1.26.0

require k8s.io/kubernetes v$VERSION
EOF

# The staging modules of this release: those its go.mod replaces with a
# directory of ./staging.
kmod=$(go mod download -json "k8s.io/kubernetes@v$VERSION" | sed -n 's/^\t"GoMod": "\(.*\)",$/\1/p')
mods=$(sed -n 's|^\t\(k8s.io/[^ ]*\) => ./staging/.*|\1|p' "$kmod")
[ -n "$mods" ] || { echo "no staging modules found in $kmod" >&2; exit 1; }
{
    echo "replace ("
    for m in $mods; do echo "	$m => $m $staging"; done
    echo ")"
    # The release's own defaults of GODEBUG, as its binaries are built with.
    grep '^godebug ' "$kmod" || true
} >>go.mod

# The real cmd/kube-apiserver main, with its blank imports (time zones,
# JSON logs, metrics), so the binary behaves as the released one.
cat >main.go <<'EOF'
package main

import (
	"os"
	_ "time/tzdata"

	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/logs/json/register"
	_ "k8s.io/component-base/metrics/prometheus/clientgo"
	_ "k8s.io/component-base/metrics/prometheus/version"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

func main() {
	os.Exit(cli.Run(app.NewAPIServerCommand()))
}
EOF

GOFLAGS=-mod=mod go mod tidy

# The version the release scripts stamp (hack/lib/version.sh): without it the
# server reports v0.0.0-master and clients cannot tell what they talk to.
major=${VERSION%%.*}
minor=${VERSION#*.}
minor=${minor%%.*}
ldflags="-s -w"
for pkg in k8s.io/client-go/pkg/version k8s.io/component-base/version; do
    ldflags+=" -X $pkg.gitVersion=v$VERSION -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor"
    ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
done

mkdir -p "$dest"
CGO_ENABLED=0 go build -trimpath -ldflags="$ldflags" -o "$bin.tmp" .
mv "$bin.tmp" "$bin" # only a whole binary counts as cached
"$bin" --version
echo "kube-apiserver v$VERSION: built in $(($(date +%s) - start))s, cached at $bin"
