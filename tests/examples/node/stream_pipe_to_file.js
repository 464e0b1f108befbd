// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// Seed 001 ("socket.pipe(destination[, options])"): every connection is
// piped into one file. The seed writes "../bk.note" and listens on
// localhost:8181; the port and the file may be given (tests).
var net = require("net");
const port = Number(process.argv[2] || 8181);
var file = new require("fs").WriteStream(process.argv[3] || "../bk.note");
var server = net.createServer(function(socket){
    console.log("连接成功!");
    socket.pipe(file);
});

server.listen({
    host: "localhost",
    port: port
}, function(){
    var address = server.address();
    console.log("服务器正在监听 "+address.address+":"+address.port+"......");
});
