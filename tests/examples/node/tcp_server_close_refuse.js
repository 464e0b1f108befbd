// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// Seed 004, "use the TCP server's close method to refuse new client
// connections": close() once two clients are connected; unref() when a
// client leaves, so the process exits once the connections are gone.
var net = require("net"),
    server = net.createServer();
const port = Number(process.argv[2] || 8181);

server.on("connection", function(socket){
    console.log("connection between client and server established!");
    socket.setEncoding("utf8");
    socket.on("data", function(data){
        console.log("received data from the client: "+data);
        socket.write("confirmed data: "+data);
    });
    socket.on("error", function(err){
        console.log("an error occurred while talking to the client, error code %s.", err.code);
        socket.destroy();
    });
    socket.on("end", function(){
        console.log("client connection closed.");
        server.unref();
    });
    socket.on("close", function(had_error){
        if(had_error){
            console.log("socket closed because of an error.");
            server.unref();
        }else{
            console.log("socket closed normally.");
        }
    });
    server.getConnections(function(err, counts){
        if (err) throw err;
        if (counts == 2){
            server.close();
        }
    });
});

server.listen(port, "localhost");

server.on("close", function(){
    console.log("TCP server closed.");
});
