# CoreDNS with gslb: a static binary on a distroless base, run as non-root.
# Build: docker build -t coredns-gslb:dev .

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# The same build command .ci/run runs.
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/coredns ./cmd/coredns-gslb
# Port 53 without root: the file capability survives the copy below.
RUN apt-get update && apt-get install -y --no-install-recommends libcap2-bin \
    && setcap cap_net_bind_service=+ep /out/coredns

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /out/coredns /coredns
USER nonroot:nonroot
# DNS, health (/health), readiness (/ready), metrics (/metrics).
EXPOSE 53/udp 53/tcp 8080/tcp 8181/tcp 9153/tcp
ENTRYPOINT ["/coredns"]
CMD ["-conf", "/etc/coredns/Corefile"]
