// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
'use strict';
// Descriptor shortages for the tool tests. The limit is changed from
// outside on the running tool (prlimit --pid), so that a test can count
// what the tool has open once it listens and leave it exactly n more; a
// soft limit of 3 starves it entirely (0, 1 and 2 are always open, and a
// new descriptor must be numbered below the limit). CPU time comes from
// /proc/<pid>/stat, every thread included.
const fs = require('fs');
const { execFileSync } = require('child_process');

const TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));

function openFds(pid) {
  return new Set(fs.readdirSync(`/proc/${pid}/fd`).map(Number));
}

// Sets the soft limit so that exactly n more descriptors can be opened: a
// new one takes the lowest free number, which must be below the limit,
// and the tool's own may leave gaps. taken: numbers to count as open too.
function leaveFree(pid, n, taken = []) {
  const open = openFds(pid);
  for (const fd of taken) open.add(fd);
  let fd = 0;
  for (let free = 0; ; fd++) if (!open.has(fd) && ++free === n) break;
  setNofile(pid, fd + 1);
}

// The soft RLIMIT_NOFILE of a running process, and setting it.
function nofile(pid) {
  const m = fs.readFileSync(`/proc/${pid}/limits`, 'utf8').match(/^Max open files\s+(\d+)/m);
  return Number(m[1]);
}
function setNofile(pid, soft) {
  execFileSync('prlimit', ['--pid', String(pid), `--nofile=${soft}:`]);
}

function cpuMs(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after "(comm) ": state is the first; utime and stime are the
  // 12th and 13th (fields 14 and 15 of proc(5)).
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * TICK_MS;
}

// The share of one CPU the process used over the next ms milliseconds.
// A measurement over a span of time, not a wait for an event.
async function cpuShare(pid, ms) {
  const c0 = cpuMs(pid), t0 = Date.now();
  await new Promise((resolve) => setTimeout(resolve, ms));
  return (cpuMs(pid) - c0) / (Date.now() - t0);
}

module.exports = { openFds, leaveFree, nofile, setNofile, cpuShare };
