// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// close(cb) on a server that never listened: 'close' is emitted (on the
// next tick) and the callback gets ERR_SERVER_NOT_RUNNING.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

const server = net.createServer();
server.on('close', () => t('close event', server.listening));
server.close((e) => t('cb', e.code, e.message));
t('after close()', server.listening, JSON.stringify(server.address()));
process.nextTick(() => t('tick'));
