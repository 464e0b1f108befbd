// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// An unref'd listening server does not keep the program alive: 'listening'
// still comes, a ref'd timer still fires (the server is listening then), and
// the program ends by itself once the timer is done, the server open.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

const server = net.createServer();
server.listen(0, '127.0.0.1', () => t('listening', server.listening));
server.unref();
setTimeout(() => t('timer', server.listening), 20);
process.on('exit', () => t('exit', server.listening));
