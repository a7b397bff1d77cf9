#!/usr/bin/env bash
# Extracts the header-only libraries the runtime preset needs (nlohmann-json,
# CLI11) from Debian's packages into .deps/, for the GPU machine, which
# reaches no package registry. Carry ".deps" in the device call and configure
# with: cmake --preset runtime -DCMAKE_PREFIX_PATH=$PWD/.deps/usr
set -euo pipefail
cd "$(dirname "$0")/.."
dir=.deps
packages=(nlohmann-json3-dev libcli11-dev)
if [ -f "$dir/.packages" ] && [ "$(cat "$dir/.packages")" = "${packages[*]}" ]; then
  echo "device-deps: $dir already holds ${packages[*]}"
  exit 0
fi
rm -rf "$dir" && mkdir -p "$dir"
tmp=$(mktemp -d)
(cd "$tmp" && apt-get download "${packages[@]}" >/dev/null)
for deb in "$tmp"/*.deb; do dpkg-deb -x "$deb" "$dir"; done
rm -rf "$tmp"
echo "${packages[*]}" > "$dir/.packages"
echo "device-deps: extracted ${packages[*]} into $dir ($(du -sh "$dir" | cut -f1))"
