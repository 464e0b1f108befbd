// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// Seed 002, 8.3.2 "a TCP socket server": answers each message through
// writeData (write, and on a full buffer write again on 'drain'; the
// seed's test is inverted), printing bytesRead and bytesWritten; counts
// the connections left when a client leaves. The seed's typo
// client.remoteAdress prints undefined.
var net = require('net');
const port = Number(process.argv[2] || 8017);
var server = net.createServer(function (client) {
	console.log('Client connection: ');
	console.log('	local = %s:%s', client.localAddress, client.localPort);
	console.log('	remote = %s:%s', client.remoteAdress, client.remotePort);
	client.setTimeout(500);
	client.setEncoding('utf8');
	client.on('data', function (data) {
		console.log('Received data from client on port %d: %s',
					client.remotePort, data.toString());
		console.log(' Bytes received: ' + client.bytesRead);
		writeData(client, 'Sending: ' + data.toString());
		console.log(' Bytes sent: ' + client.bytesWritten);
	});
	client.on('end', function () {
		console.log('Client disconnected');
		server.getConnections(function (err, count) {
			console.log('Remaining Connections: ' + count);
		});
	});
	client.on('timeout', function () {
		console.log('Socket Timed out');
	});
});

server.listen(port, function () {
	console.log('Server listening: ' + JSON.stringify(server.address()));
	server.on('close', function () {
		console.log('Server Terminated');
	});
	server.on('error', function (err) {
		console.log('Server Error: ', JSON.stringify(err));
	});
});

function writeData(socket, data) {
	var success = !socket.write(data);
	if (!success) {
		(function (socket, data) {
			socket.once('drain', function () {
				writeData(socket, data);
			});
		})(socket, data);
	}
}
