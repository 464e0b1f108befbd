// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// Helpers shared by the dgram_* scenarios (twin of dgram.h): a call that
// may throw, printed as "<label> ok" or "<label> THROW <code> | <message>",
// and an address() object on one line.
'use strict';
const { t } = require('./trace');

function tr(label, f) {
  try {
    const r = f();
    t(label, 'ok');
    return r;
  } catch (e) {
    t(label, 'THROW', e.code, '|', e.message);
    return undefined;
  }
}

function addr(label, a) {
  t(label, a.address, a.family, a.port);
}

function rinfo(label, msg, r) {
  t(label, JSON.stringify(msg.toString()), r.address, r.family, r.port, r.size);
}

function err(label, e) {
  if (!e) t(label, null);
  else t(label, e.code, '|', e.message);
}

module.exports = { tr, addr, rinfo, err };
