#!/usr/bin/env bash
# Installs the Debian packages imgsearch builds against, if any is missing.
# Idempotent and silent when everything is already there.
set -euo pipefail

packages=(pkg-config libjpeg-dev libpng-dev libopenblas-dev libsqlite3-dev zlib1g-dev libwebp-dev libgif-dev libtiff-dev libheif-dev)

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
    echo "setup: missing ${missing[*]}, and this is not a Debian/Ubuntu system: install them (and pkg-config) with your package manager." >&2
    exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
fi
echo "setup: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
