#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The cnet authors
# Makes the seed files of the TLS targets from real records: Python's ssl
# over memory BIOs plays a client and a server, with a throwaway key and
# certificate (made by openssl in a temporary directory, never kept).
#   tests/fuzz/tls_seeds.py        writes corpus/tls_server/seed-* and
#                                  corpus/tls_client/seed-*
# The first byte of each file is the target's settings byte: 0x00 (TLS
# 1.2 settings, whole, first flight, no FIN), 0x10 (with a FIN).
import os, ssl, subprocess, tempfile

here = os.path.dirname(os.path.abspath(__file__))


def flights(version):
    with tempfile.TemporaryDirectory() as d:
        key, cert = os.path.join(d, 'k.pem'), os.path.join(d, 'c.pem')
        subprocess.run(['openssl', 'req', '-x509', '-newkey', 'ec', '-pkeyopt',
                        'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=localhost',
                        '-days', '1', '-keyout', key, '-out', cert],
                       check=True, capture_output=True)
        sc = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        sc.load_cert_chain(cert, key)
        cc = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        cc.check_hostname = False
        cc.verify_mode = ssl.CERT_NONE
        for c in (sc, cc):
            c.minimum_version = c.maximum_version = version
        cin, cout, sin, sout = (ssl.MemoryBIO() for _ in range(4))
        cli = cc.wrap_bio(cin, cout, server_hostname='localhost')
        srv = sc.wrap_bio(sin, sout, server_side=True)
        try:
            cli.do_handshake()
        except ssl.SSLWantReadError:
            pass
        hello = cout.read()
        sin.write(hello)
        try:
            srv.do_handshake()
        except ssl.SSLWantReadError:
            pass
        return hello, sout.read()


def write(target, name, data):
    with open(os.path.join(here, 'corpus', target, name), 'wb') as f:
        f.write(data)


for version, tag in ((ssl.TLSVersion.TLSv1_2, '12'), (ssl.TLSVersion.TLSv1_3, '13')):
    hello, answer = flights(version)
    write('tls_server', 'seed-client-hello-' + tag, b'\x00' + hello)
    write('tls_server', 'seed-client-hello-fin-' + tag, b'\x10' + hello)
    write('tls_client', 'seed-server-flight-' + tag, b'\x00' + answer)
    write('tls_client', 'seed-server-flight-verify-' + tag, b'\x20' + answer)
