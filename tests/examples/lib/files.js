// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
'use strict';
// Waiting for a file an example writes, without polling on a timer: the
// directory is watched (inotify) and the file read again on every change,
// with a deadline. tempDir() gives each test a fresh working directory.
const fs = require('fs');
const os = require('os');
const path = require('path');

const STEP_MS = Number(process.env.CNET_EXAMPLE_STEP_MS) || 15000;

function tempDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cnet-example-'));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function read(file) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

// Resolves with the contents once pred(contents) holds (contents is null
// while the file does not exist).
function fileMatches(file, pred, what, ms = STEP_MS) {
  return new Promise((resolve, reject) => {
    let done = false;
    const watcher = fs.watch(path.dirname(file), () => check());
    const timer = setTimeout(() => finish(new Error(
      `timed out waiting for ${path.basename(file)} to hold ${what}; it holds ` +
      JSON.stringify(read(file)))), ms);
    function finish(err, value) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      watcher.close();
      if (err) reject(err); else resolve(value);
    }
    function check() {
      const text = read(file);
      if (pred(text)) finish(null, text);
    }
    check();
  });
}

function fileHolds(file, text, ms) {
  return fileMatches(file, (t) => t === text, JSON.stringify(text), ms);
}

module.exports = { tempDir, fileMatches, fileHolds };
