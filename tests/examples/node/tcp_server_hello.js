// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// Seed 002, 8.2.2 "the net.Server object": greets each client with Hello
// and prints what it sends.
var net = require('net');
const port = Number(process.argv[2] || 8107);
var server = net.createServer(function(client) {
	console.log('Client connected');
	client.on('data', function(data) {
		console.log('Client sent ' + data.toString());
	});
	client.on('end', function() {
		console.log('Client disconnected');
	});
	client.write('Hello');
});
server.listen(port, function() {
	console.log('Server listening for connections');
});
