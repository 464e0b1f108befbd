// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
'use strict';
// A whole cnet-chat session through the real OpenBSD nc: two nc processes
// on pipes, typing lines (LF endings, as nc sends them) and reading what
// their terminal would show, line by line and in order.
// Run as: node chat_session_nc.test.js <cnet-chat binary>
const { Server, run, HELP } = require('./lib/chat');
const { Nc } = require('./lib/nc');

run(async () => {
  const server = new Server(process.argv[2]);
  const port = await server.listening();
  const alice = new Nc('alice', port);
  await alice.expect('Welcome to cnet-chat! 0 users online. Please enter your nickname:');
  alice.say('bad name');
  await alice.expectAll(['error: a nickname cannot contain spaces', 'Please enter your nickname:']);
  alice.say('alice');
  await alice.expect('Hello alice! 1 user online. Type help for the commands.');

  const zhang = new Nc('zhang', port);
  await zhang.expect('Welcome to cnet-chat! 1 user online. Please enter your nickname:');
  zhang.say('ALICE');
  await zhang.expectAll(['error: the nickname ALICE is taken', 'Please enter your nickname:']);
  zhang.say('张三');
  await zhang.expect('Hello 张三! 2 users online. Type help for the commands.');
  await alice.expect('* 张三 joined (2 users online)');

  alice.say('hello 张三');
  await zhang.expect('alice: hello 张三');
  zhang.say('b:你好，alice！');
  await alice.expect('张三: 你好，alice！');
  alice.say('c:张三:私聊 private');
  await zhang.expect('[private] alice: 私聊 private');
  await alice.expect('* private message sent to 张三');
  alice.say('c:nobody');
  await alice.expect('error: usage: c:nick:text');
  zhang.say('n:李四');
  await zhang.expect('* 张三 is now known as 李四');
  await alice.expect('* 张三 is now known as 李四');
  alice.say('l');
  await alice.expect('* 2 users online: alice, 李四');
  zhang.say('help');
  await zhang.expectAll(HELP);
  zhang.say('byebye');
  await zhang.leaves('* goodbye, 李四!');
  await alice.expect('* 李四 left (1 user online)');
  alice.say('quit');
  await alice.leaves('* goodbye, alice!');
  await server.log(/127\.0\.0\.1:\d+ left: alice \(quit\)/);
  await server.stop();
});
