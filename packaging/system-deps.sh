#!/usr/bin/env bash
# Makes sure the Debian/Ubuntu packages the studio needs are installed.
# As root it installs what is missing; otherwise it names the missing packages and fails.
# With --test it also makes sure of what only the test suite needs.
set -euo pipefail

PACKAGES=(
  # audio output, virtual display for tests and headless screenshots, audio/video codecs
  libportaudio2 xvfb ffmpeg
  # what Qt's xcb platform plugin links against
  libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-randr0
  libxcb-shape0 libxcb-xkb1 libxcb-cursor0 libxkbcommon-x11-0 libfontconfig1 libglib2.0-0
  libdbus-1-3
  # OpenGL: Mesa's llvmpipe gives the viewport OpenGL 4.5 even without a GPU
  libegl1 libgl1 libgl1-mesa-dri
  # FBX motion import: Assimp, which the impasse bindings load
  libassimp5
)
if [[ "${1:-}" == "--test" ]]; then
  # a real browser, to check that the scorecard's HTML report shows its plots
  PACKAGES+=(chromium)
fi

if ! command -v dpkg >/dev/null 2>&1; then
  echo "system-deps: not a Debian-based system; make sure these are installed: ${PACKAGES[*]}"
  exit 0
fi

missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -eq 0 ]]; then
  echo "system-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "system-deps: these system packages are missing:"
  echo "    sudo apt-get install ${missing[*]}"
  echo "Install them, then run the command again."
  exit 1
fi
