#!/usr/bin/env bash
# Install the Debian packages that Qt, the test tools and packaging need, if any are missing.
# As root on Debian/Ubuntu it installs them; as a normal user it only prints the command to run;
# on other systems it does nothing. Used by `make` and by .ci/run.
set -euo pipefail

packages=(
  # Qt offscreen (TOOLCHAIN.md)
  libglib2.0-0 libegl1 libgl1 libx11-6 libxkbcommon0 libfontconfig1 libfreetype6 libdbus-1-3 libbrotli1
  fontconfig-config fonts-dejavu-core
  # Qt on a real (virtual) X screen, for `xvfb-run make run` and screenshots
  libx11-xcb1 libxcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
  libxcb-render-util0 libxcb-render0 libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-util1 libxcb-xfixes0
  libxcb-xkb1 libxkbcommon-x11-0 xvfb xauth
  # building the virtual environment and the bundle
  make python3-venv binutils
  # tests: a real Secret Service for keyring (dbus-run-session + gnome-keyring-daemon, TOOLCHAIN.md)
  dbus gnome-keyring
  # tests: render PDF pages and read QR codes
  poppler-utils zbar-tools
)

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "install-system-deps: not a Debian-like system, skipping system packages" >&2
  exit 0
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  echo "install-system-deps: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "install-system-deps: these Debian packages are missing; Qt may not start without them:" >&2
  echo "  sudo apt-get install ${missing[*]}" >&2
fi
