#!/usr/bin/env bash
# Creates a development PKI with the openssl CLI (3.x), the same files that
# `estgate ca init` writes:
#   root-ca.pem/.key      self-signed root CA, 10 years
#   issuing-ca.pem/.key   issuing CA signed by the root (pathlen 0), 5 years
#   ca-chain.pem          issuing CA then root
#   server.pem/.key       TLS server certificate for localhost, 127.0.0.1 and ::1 (1 year),
#                         followed by the issuing CA certificate
# Keys are unencrypted PKCS#8 P-256 keys with mode 0600. For development and tests only.
# Usage: certs/make-dev-pki.sh DIR
set -euo pipefail

if [ "$#" -ne 1 ]; then
    echo "usage: $0 DIR" >&2
    exit 2
fi
dir="$1"
mkdir -p "$dir"
cd "$dir"
umask 077

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

new_key() {
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"
}

new_key root-ca.key
openssl req -new -x509 -key root-ca.key -sha256 -days 3653 -set_serial "0x$(openssl rand -hex 16 | sed 's/^./4/')" \
    -subj "/O=estgate development/CN=estgate development root CA" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -addext "subjectKeyIdentifier=hash" \
    -out root-ca.pem

new_key issuing-ca.key
openssl req -new -key issuing-ca.key -subj "/O=estgate development/CN=estgate development issuing CA" -out "$work/issuing.csr"
cat >"$work/issuing.ext" <<CONFIG
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
CONFIG
openssl x509 -req -in "$work/issuing.csr" -CA root-ca.pem -CAkey root-ca.key -sha256 -days 1826 \
    -set_serial "0x$(openssl rand -hex 16 | sed 's/^./4/')" -extfile "$work/issuing.ext" -out issuing-ca.pem

new_key server.key
openssl req -new -key server.key -subj "/O=estgate development/CN=localhost" -out "$work/server.csr"
cat >"$work/server.ext" <<CONFIG
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1, IP:::1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
CONFIG
openssl x509 -req -in "$work/server.csr" -CA issuing-ca.pem -CAkey issuing-ca.key -sha256 -days 365 \
    -set_serial "0x$(openssl rand -hex 16 | sed 's/^./4/')" -extfile "$work/server.ext" -out "$work/server-leaf.pem"

cat issuing-ca.pem root-ca.pem >ca-chain.pem
cat "$work/server-leaf.pem" issuing-ca.pem >server.pem
chmod 0644 root-ca.pem issuing-ca.pem ca-chain.pem server.pem
chmod 0600 root-ca.key issuing-ca.key server.key

openssl verify -CAfile root-ca.pem -untrusted issuing-ca.pem -purpose sslserver "$work/server-leaf.pem" >/dev/null
echo "development PKI written to $dir"
