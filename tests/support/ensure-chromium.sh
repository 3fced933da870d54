#!/usr/bin/env bash
# Browser journeys drive Debian's Chromium (never a downloaded browser build), with CJK fonts so
# screenshots show the Chinese text. Install what is missing when we may (root with apt);
# otherwise say exactly what is needed.
set -euo pipefail
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
missing=()
[ -x "$CHROMIUM" ] || missing+=(chromium)
fc-list :lang=zh 2>/dev/null | grep -q . || missing+=(fonts-noto-cjk)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing ${missing[*]} for the browser journeys…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  exit 0
fi
echo "Browser journeys need: ${missing[*]} (run 'sudo apt-get install ${missing[*]}', or set CHROMIUM_PATH)." >&2
exit 1
