// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
'use strict';
// tcp_server_close_refuse (seed 004's close-to-refuse server): the shared
// scenario of lib/close_refuse.js with this program's words.
require('./lib/close_refuse').runCloseRefuse({
  connected: 'connection between client and server established!',
  confirmed: 'confirmed data: ',
  clientClosed: 'client connection closed.',
  socketClosed: 'socket closed normally.',
  serverClosed: 'TCP server closed.',
});
