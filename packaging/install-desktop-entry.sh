#!/usr/bin/env bash
# Adds EightCount Studio to the desktop's application menu for this user: the .desktop entry
# (its Exec pointing at this bundle) and the icon, under ~/.local/share. Run it from the
# unpacked bundle: ./install-desktop-entry.sh   (./install-desktop-entry.sh --remove undoes it)
set -euo pipefail

bundle="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
data="${XDG_DATA_HOME:-$HOME/.local/share}"
entry="$data/applications/eightcount-studio.desktop"
icon="$data/icons/hicolor/scalable/apps/eightcount.svg"

if [[ "${1:-}" == "--remove" ]]; then
  rm -f "$entry" "$icon"
  echo "Removed $entry and $icon"
  exit 0
fi

share="$bundle/_internal/share"
[[ -x "$bundle/eightcount" && -f "$share/applications/eightcount-studio.desktop" ]] || {
  echo "install-desktop-entry: run this script from the bundle folder (dist/eightcount-studio)" >&2
  exit 1
}
mkdir -p "$(dirname "$entry")" "$(dirname "$icon")"
cp "$share/icons/hicolor/scalable/apps/eightcount.svg" "$icon"
# The entry's Exec names the command; here it becomes this bundle's own executable.
sed "s|^Exec=eightcount |Exec=\"$bundle/eightcount\" |" \
  "$share/applications/eightcount-studio.desktop" >"$entry"
command -v update-desktop-database >/dev/null && update-desktop-database -q "$data/applications" || true
echo "Installed $entry (it runs $bundle/eightcount) and $icon"
