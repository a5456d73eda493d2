#!/usr/bin/env bash
# Rewrites po/POTFILES.in from the files that hold translatable strings, sorted; run it
# after adding a source file with _() strings or a template with translatable="yes".
set -euo pipefail
cd "$(dirname "$0")/.."
{
  echo "# List of source files containing translatable strings, sorted."
  { grep -rlE '\<N?_ \(|\<N?_\(|C_ \(|NC_ \(' --include='*.c' src || true
    grep -rl 'translatable="yes"' --include='*.ui' ui || true
    ls data/*.desktop.in.in data/*.metainfo.xml.in.in data/*.gschema.xml 2>/dev/null || true
  } | LC_ALL=C sort -u
} > po/POTFILES.in
