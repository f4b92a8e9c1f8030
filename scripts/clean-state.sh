#!/usr/bin/env bash
# Removes var/ and any cluster that scripts/stack.sh had to keep outside it (under /var/tmp).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
for state in "$root/var" "$root/var/test" "$root/var/restore"; do
  [ -d "$state" ] || continue
  base=/var/tmp/orientir-$(printf '%s' "$state" | sha256sum | cut -c1-12)
  rm -rf "$base"
done
rm -rf "${root:?}/var"
