#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# live-report.sh OUT.png [WIDTH [HEIGHT [light|dark]]]
#
# Screenshot of a live segment's report as the app shows it: a demo store with a live
# segment, the app started on it with its ingest endpoint switched on (GSettings), the
# report opened through the window's win.show-live-report action (D-Bus), and real
# uploads posted to the endpoint with curl while the window is watched.
# Run from the source tree after `ninja -C _build`. Needs xvfb, imagemagick, curl.
set -euo pipefail
out=$1; width=${2:-1280}; height=${3:-900}; style=${4:-light}
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$src/_build
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
port=18765

"$build/src/cli/segctl" --store "$tmp/demo.segstore" --tz UTC demo 20000 1500 >/dev/null
printf '%s' '{"version":1,"kind":"live","trigger":{"type":"action","event":"Charged"}}' > "$tmp/live.json"
id=$("$build/src/cli/segctl" --store "$tmp/demo.segstore" segments save "$tmp/live.json" \
      --name "Buying right now" --description "Users who complete a purchase, the moment they do")

mkdir -p "$tmp/config/glib-2.0/settings"
cat > "$tmp/config/glib-2.0/settings/keyfile" <<KEYS
[io/github/segmentstudio/SegmentStudio]
live-ingest-enabled=true
live-ingest-port=uint32 $port
window-width=$width
window-height=$height
KEYS

cat > "$tmp/run.sh" <<RUN
#!/usr/bin/env bash
export GSETTINGS_BACKEND=keyfile XDG_CONFIG_HOME=$tmp/config GSETTINGS_SCHEMA_DIR=$build/data
[ "$style" = dark ] && export ADW_DEBUG_COLOR_SCHEME=prefer-dark
$build/src/app/segment-studio --store $tmp/demo.segstore &
sleep 3
app=\$(gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
       --method org.freedesktop.DBus.ListNames | grep -o "io\.github\.segmentstudio\.SegmentStudio[A-Za-z.]*" | head -1)
path=/\$(echo "\$app" | tr . /)
gdbus call --session --dest "\$app" --object-path "\$path/window/1" --method org.gtk.Actions.Activate \
  show-live-report "[<'$id'>]" '{}' >/dev/null
# Shoppers pour in: a profile with an email for some, then their purchase.
for i in \$(seq 1 40); do
  now=\$(date +%s)
  if [ \$((i % 3)) -eq 0 ]; then
    prof=",{\"type\":\"profile\",\"identity\":\"shopper-\$i\",\"ts\":\$now,\"profileData\":{\"email\":\"shopper\$i@example.com\",\"email_optin\":true}}"
  else
    prof=""
  fi
  curl -s -o /dev/null -H 'Content-Type: application/json' \
    -d "{\"d\":[{\"type\":\"event\",\"identity\":\"visitor-\$i\",\"ts\":\$now,\"evtName\":\"Product Viewed\",\"evtData\":{}}\$prof,{\"type\":\"event\",\"identity\":\"shopper-\$i\",\"ts\":\$now,\"evtName\":\"Charged\",\"evtData\":{\"Amount\":\$((i * 7 % 90 + 10))}}]}" \
    http://127.0.0.1:$port/1/upload
  sleep 0.25
done
wait
RUN
chmod +x "$tmp/run.sh"
"${SHOT:-$src/../shared/tools/shot}" "$out" --wait 16 --size "${width}x${height}" -- dbus-run-session -- "$tmp/run.sh"
