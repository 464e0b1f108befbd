#!/bin/sh
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The cnet authors
# The TLS tests' certificates, made at run time into a directory (no
# private key is ever committed). EC P-256 keys: quick to make.
#   ca.pem ca.key        a test CA
#   server.pem .key      signed by it, for localhost and 127.0.0.1
#   self.pem .key        self-signed, for localhost and 127.0.0.1
#   expired.pem .key     signed by the CA, valid in 2020 only
#   leaf.pem .key        signed by an intermediate the peer is not given
#   chain.pem            leaf.pem then the intermediate (which the CA
#                        signed), for a server that sends its chain
# Usage: make-certs.sh <dir>
set -eu
dir=$1
cd "$dir"
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
san="subjectAltName=DNS:localhost,IP:127.0.0.1"

key ca.key
openssl req -x509 -new -key ca.key -out ca.pem -days 30 -subj /CN=cnet-test-ca \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=keyCertSign,cRLSign
key server.key
openssl req -new -key server.key -out server.csr -subj /CN=localhost
printf '%s\n' "$san" >server.ext
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
  -out server.pem -days 30 -extfile server.ext 2>/dev/null

key self.key
openssl req -x509 -new -key self.key -out self.pem -days 30 -subj /CN=localhost \
  -addext "$san"

# Expired: openssl ca sets the dates the x509 command cannot.
key expired.key
openssl req -new -key expired.key -out expired.csr -subj /CN=localhost
mkdir -p db
: >db/index
cat >ca.cnf <<CNF
[ca]
default_ca = test
[test]
database = db/index
new_certs_dir = db
serial = db/serial
default_md = sha256
policy = any
copy_extensions = none
x509_extensions = ext
[any]
commonName = supplied
[ext]
$san
CNF
echo 01 >db/serial
openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -in expired.csr \
  -out expired.pem -startdate 20200101000000Z -enddate 20201231000000Z \
  -notext 2>/dev/null

# A chain: the CA signs an intermediate, which signs the leaf.
key inter.key
openssl req -new -key inter.key -out inter.csr -subj /CN=cnet-test-intermediate
printf 'basicConstraints=critical,CA:TRUE\nkeyUsage=keyCertSign,cRLSign\n' >inter.ext
openssl x509 -req -in inter.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
  -out inter.pem -days 30 -extfile inter.ext 2>/dev/null
key leaf.key
openssl req -new -key leaf.key -out leaf.csr -subj /CN=localhost
openssl x509 -req -in leaf.csr -CA inter.pem -CAkey inter.key -CAcreateserial \
  -out leaf.pem -days 30 -extfile server.ext 2>/dev/null
cat leaf.pem inter.pem >chain.pem
