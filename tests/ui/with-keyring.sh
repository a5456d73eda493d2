#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a test (inside dbus-run-session) with a real Secret Service: a throwaway
# gnome-keyring whose login keyring is created unlocked, in a private data folder.
set -u
keyring_home=$(mktemp -d "${TMPDIR:-/tmp}/seg-keyring-XXXXXX")
export XDG_DATA_HOME="$keyring_home"
if command -v gnome-keyring-daemon > /dev/null; then
  printf 'seg-test' | gnome-keyring-daemon --unlock --components=secrets > /dev/null 2>&1
fi
"$@"
status=$?
rm -rf "$keyring_home"
exit $status
