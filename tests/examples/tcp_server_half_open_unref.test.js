// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
'use strict';
// tcp_server_half_open_unref (seed 001's unref server): the shared
// scenario of lib/close_refuse.js with this program's words.
require('./lib/close_refuse').runCloseRefuse({
  connected: 'client has connected',
  confirmed: 'server confirms data: ',
  clientClosed: 'the client closed the connection',
  socketClosed: 'socket closed normally',
  serverClosed: 'server closed',
});
