// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
'use strict';
// mulberry32: a small seedable generator that gives the same sequence on
// every machine, for tests whose random choices a seed must reproduce.
// rng(seed)() returns a number in [0, 1).
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

module.exports = { rng };
