// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// net.setDefaultAutoSelectFamily / setDefaultAutoSelectFamilyAttemptTimeout
// and their getters: the defaults (true, 250), values below 10 raised to
// 10, and ERR_OUT_OF_RANGE outside 1..2147483647 leaving the value as it
// was. (The type errors Node throws have no C counterpart.)
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

function set(ms) {
  try {
    net.setDefaultAutoSelectFamilyAttemptTimeout(ms);
    t('set', ms, 'ok');
  } catch (e) {
    t('set', ms, e.code);
  }
  t('timeout', net.getDefaultAutoSelectFamilyAttemptTimeout());
}

t('autoSelectFamily', net.getDefaultAutoSelectFamily());
net.setDefaultAutoSelectFamily(false);
t('autoSelectFamily', net.getDefaultAutoSelectFamily());
net.setDefaultAutoSelectFamily(true);
t('autoSelectFamily', net.getDefaultAutoSelectFamily());
t('timeout', net.getDefaultAutoSelectFamilyAttemptTimeout());
for (const ms of [1, 9, 10, 11, 500, 2147483647, 0, -1, 2147483648, -2147483649, 250])
  set(ms);
