// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// Connecting to a Unix path that is a regular file, not a socket:
// 'error' ECONNREFUSED with the path ('connect ECONNREFUSED <path>'); the
// file is left alone.
'use strict';
const net = require('net');
const fs = require('fs');
const { t } = require(__dirname + '/lib/trace');

fs.writeFileSync('plain.sock', 'not a socket');
const c = net.connect('plain.sock');
c.on('connect', () => t('unexpected connect'));
c.on('error', (e) => t('error', e.code, e.syscall, e.address, e.message));
c.on('close', (h) => t('close', h, fs.readFileSync('plain.sock', 'utf8')));
