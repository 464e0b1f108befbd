// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// Seed 004, the client of the close() server: says hello, and ends with
// goodbye 10 s later. A second argument shortens the wait (tests).
var net = require("net"),
    client = new net.Socket();
const port = Number(process.argv[2] || 8181);
const delay = Number(process.argv[3] || 10000);

client.connect(port, "localhost", function(){
    console.log("connected to the server.");
    client.write("hello!");
    setTimeout(function(){
        client.end("goodbye!");
    }, delay);
});
client.on("data", function(data){
    console.log("received data from the server: "+data);
});

client.on("error", function(err){
    console.log("an error occurred while connecting to or talking to the server, error code %s", err.code);
    client.destroy();
});
