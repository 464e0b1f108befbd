#!/bin/sh
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The cnet authors
# contrib/systemd's units for cnet-chat as systemd reads them, without a
# running systemd: systemd-analyze verify in a root of their own (the
# units, cnet-chat at /usr/bin/cnet-chat where the package installs it,
# and this system's units they depend on), then the exposure score of the
# service's sandbox, which must stay at most 1.5 ("OK").
# Usage: chat_units.sh <source dir> <cnet-chat binary>
set -eu
if ! command -v systemd-analyze >/dev/null 2>&1; then
  echo "chat_units: no systemd-analyze (package systemd, which scripts/deps.sh test installs)"
  exit 1
fi
src=$1
bin=$2
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/usr/bin" "$root/usr/lib/systemd" "$root/etc/systemd/system"
ln -s usr/bin "$root/bin"
cp "$bin" "$root/usr/bin/cnet-chat"
# ExecReload's kill: only its place and mode are checked.
printf '#!/bin/sh\n' >"$root/usr/bin/kill"
chmod 755 "$root/usr/bin/kill"
cp -r /usr/lib/systemd/system "$root/usr/lib/systemd/"
cp "$src/contrib/systemd/cnet-chat.socket" "$src/contrib/systemd/cnet-chat.service" \
   "$root/etc/systemd/system/"
# The man page is the package's to install: not looked for here.
out=$(systemd-analyze verify --man=no --root="$root" cnet-chat.socket cnet-chat.service 2>&1) || {
  echo "$out"
  exit 1
}
# verify exits 0 on some warnings: any output is one.
if [ -n "$out" ]; then
  echo "$out"
  exit 1
fi
status=0
out=$(systemd-analyze security --offline=true --threshold=15 --root="$root" \
        cnet-chat.service 2>&1) || status=$?
[ $status -eq 0 ] || echo "$out"
echo "$out" | tail -n 1
exit $status
