// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
'use strict';
// The TLS cases' certificates, made at run time by tests/tls/make-certs.sh
// into a temporary directory (no private key is committed), removed at
// exit. Returns the directory and a helper naming its files.
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

function makeCerts() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cnet-apps-tls-'));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  execFileSync('sh', [path.join(__dirname, '..', '..', 'tls', 'make-certs.sh'), dir],
               { stdio: ['ignore', 'ignore', 'inherit'] });
  const file = (name) => path.join(dir, name);
  return { dir, file, ca: fs.readFileSync(file('ca.pem')) };
}

module.exports = { makeCerts };
