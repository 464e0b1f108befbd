// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// Seed 002, 8.2.1 "the net.Socket object": a client that sends a line,
// prints the answer and ends.
var net = require('net');
const port = Number(process.argv[2] || 8107);
var client = net.connect({port: port, host:'localhost'}, function() {
	console.log('Client connected');
	client.write('Some data\r\n');
});
client.on('data', function(data) {
	console.log(data.toString());
	client.end();
});
client.on('end', function() {
	console.log('Client disconnected');
});
