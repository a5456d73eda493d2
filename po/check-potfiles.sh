#!/usr/bin/env bash
# Checks po/POTFILES.in against the source tree: sorted, every entry exists, and every
# file with translatable strings (_() or N_() in C, translatable="yes" in .ui, the data
# files) is listed, so no user-visible string is left out of the translation template.
set -euo pipefail
srcdir=${1:?usage: check-potfiles.sh SOURCE-ROOT}
cd "$srcdir"

listed=$(grep -v '^\s*#' po/POTFILES.in | sed '/^\s*$/d')
status=0

if [ "$listed" != "$(printf '%s\n' "$listed" | LC_ALL=C sort)" ]; then
  echo "po/POTFILES.in is not sorted (LC_ALL=C sort)"
  status=1
fi

while IFS= read -r f; do
  [ -f "$f" ] || { echo "po/POTFILES.in lists a missing file: $f"; status=1; }
done <<< "$listed"

candidates=$(
  { grep -rlE '\<N?_ \(|\<N?_\(|C_ \(|NC_ \(' --include='*.c' src || true
    grep -rl 'translatable="yes"' --include='*.ui' ui || true
    ls data/*.desktop.in.in data/*.metainfo.xml.in.in data/*.gschema.xml 2>/dev/null || true
  } | LC_ALL=C sort -u)

while IFS= read -r f; do
  [ -n "$f" ] || continue
  if ! grep -qxF "$f" <<< "$listed"; then
    echo "$f has translatable strings but is not in po/POTFILES.in"
    status=1
  fi
done <<< "$candidates"

[ $status -eq 0 ] && echo "po/POTFILES.in lists all $(wc -l <<< "$listed") files with translatable strings"
exit $status
