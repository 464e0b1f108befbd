// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// Seed 004, createServer's pauseOnConnect: a client's data is held (in
// the kernel) until the socket is resumed 10 s later. A second argument
// shortens the wait (tests).
var net = require("net");
const port = Number(process.argv[2] || 8181);
const delay = Number(process.argv[3] || 10000);
var server = net.createServer({
    pauseOnConnect: true
}, function(socket){
    setTimeout(function(){
        socket.resume();
    }, delay);
    socket.on("data", function(chunk){
        console.log("data : "+chunk);
    });
});
server.listen(port, function(){
    console.log("Connected on " + port + "!");
});
