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
#   client.pem .key      a client's, signed by the CA: RSA 2048, a full
#                        subject (C ST L O OU CN), names of each kind,
#                        infoAccess, extKeyUsage clientAuth
#   stranger.pem .key    a client's, signed by a CA nobody trusts
#   alpha.pem .key       signed by the CA, for alpha.test (SNI)
#   wild.pem .key        signed by the CA, for *.beta.test (SNI)
#   odd.pem .key         signed by the CA, alternative names of every kind,
#                        some that Node quotes (a comma in a DNS name)
#   many.pem .key        signed by the CA, 1025 alternative names: one past
#                        what cnet reads of a peer's
#   tampered.pem         server.pem with its signature altered (its key:
#                        server.key)
#   notca.pem .key       for localhost, signed with server.key by
#                        server.pem, which is no CA; notca-chain.pem is
#                        notca.pem then server.pem
#   revoked.pem .key     for localhost, signed by the CA, then revoked
#   ca.crl               the CA's CRL: revoked.pem is on it
#   server.pfx           server.pem, its key and the CA as PKCS#12,
#                        passphrase "secret"
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
default_crl_days = 30
unique_subject = no
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

# Clients: one the CA signed (RSA, for the modulus and exponent Node
# shows), one from a CA of its own.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out client.key 2>/dev/null
openssl req -new -key client.key -out client.csr \
  -subj "/C=FR/ST=Ile-de-France/L=Paris/O=cnet/OU=tests/OU=tls/CN=cnet-test-client"
cat >client.ext <<EXT
subjectAltName=DNS:client.test,email:client@example.test,URI:https://client.test/a,IP:127.0.0.1,IP:::1
authorityInfoAccess=OCSP;URI:http://ocsp.example.test/,caIssuers;URI:http://ca.example.test/ca.pem
extendedKeyUsage=clientAuth
EXT
openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
  -out client.pem -days 30 -extfile client.ext 2>/dev/null
key other-ca.key
openssl req -x509 -new -key other-ca.key -out other-ca.pem -days 30 -subj /CN=cnet-other-ca \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=keyCertSign,cRLSign
key stranger.key
openssl req -new -key stranger.key -out stranger.csr -subj /CN=cnet-stranger
openssl x509 -req -in stranger.csr -CA other-ca.pem -CAkey other-ca.key -CAcreateserial \
  -out stranger.pem -days 30 2>/dev/null

# SNI: a second name, and a wildcard.
for name in alpha:alpha.test 'wild:*.beta.test'; do
  file=${name%%:*} host=${name#*:}
  key "$file.key"
  openssl req -new -key "$file.key" -out "$file.csr" -subj "/CN=$host"
  printf 'subjectAltName=DNS:%s\n' "$host" >"$file.ext"
  openssl x509 -req -in "$file.csr" -CA ca.pem -CAkey ca.key -CAcreateserial \
    -out "$file.pem" -days 30 -extfile "$file.ext" 2>/dev/null
done

# Names Node prints quoted, and one of each other kind.
key odd.key
openssl req -new -key odd.key -out odd.csr -subj "/CN=odd\/name/O=x+OU=y"
cat >odd.ext <<EXT
subjectAltName=@alt
[alt]
DNS.1 = good.test
DNS.2 = evil.test, DNS:good.test
URI.1 = http://a.test/?q=a'b
email.1 = x@a.test
IP.1 = 10.0.0.1
IP.2 = fe80::1:2
RID.1 = 1.2.3.4
otherName.1 = 1.3.6.1.4.1.311.20.2.3;UTF8:upn@a.test
dirName.1 = dir
[dir]
CN = dir name
O = a, b
EXT
openssl x509 -req -in odd.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
  -out odd.pem -days 30 -extfile odd.ext 2>/dev/null

key many.key
openssl req -new -key many.key -out many.csr -subj /CN=localhost
{
  echo 'subjectAltName=@alt'
  echo '[alt]'
  echo 'DNS.1 = localhost'
  i=2
  while [ $i -le 1025 ]; do echo "DNS.$i = n$i.test"; i=$((i + 1)); done
} >many.ext
openssl x509 -req -in many.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
  -out many.pem -days 30 -extfile many.ext 2>/dev/null

# A signature that does not verify: server.pem's last byte (in the
# signature's last integer) with its low bit flipped.
openssl x509 -in server.pem -outform DER -out server.der
n=$(wc -c <server.der)
last=$(tail -c 1 server.der | od -An -tu1 | tr -d ' ')
{
  head -c $((n - 1)) server.der
  # shellcheck disable=SC2059 # the format is the byte's octal escape
  printf "\\$(printf '%03o' $((last ^ 1)))"
} >tampered.der
openssl x509 -inform DER -in tampered.der -out tampered.pem

# An issuer that is no CA: server.pem signs a leaf.
key notca.key
openssl req -new -key notca.key -out notca.csr -subj /CN=localhost
openssl x509 -req -in notca.csr -CA server.pem -CAkey server.key -CAcreateserial \
  -out notca.pem -days 30 -extfile server.ext 2>/dev/null
cat notca.pem server.pem >notca-chain.pem

# Revoked: signed by the CA (as expired.pem, in its database), then on
# the CA's CRL.
key revoked.key
openssl req -new -key revoked.key -out revoked.csr -subj /CN=localhost
openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -in revoked.csr \
  -out revoked.pem -days 30 -notext 2>/dev/null
openssl ca -config ca.cnf -cert ca.pem -keyfile ca.key -revoke revoked.pem 2>/dev/null
openssl ca -config ca.cnf -cert ca.pem -keyfile ca.key -gencrl -out ca.crl 2>/dev/null

openssl pkcs12 -export -in server.pem -inkey server.key -certfile ca.pem \
  -passout pass:secret -out server.pfx
