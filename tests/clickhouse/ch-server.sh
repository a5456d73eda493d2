#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Starts and stops the ClickHouse servers the tests of the remote store run against:
#
#   server 1: http 127.0.0.1:18123, tcp 127.0.0.1:19000  (the single server, and shard 1)
#             https 127.0.0.1:18443 with a certificate of a throwaway CA (when openssl exists)
#   server 2: http 127.0.0.1:18124, tcp 127.0.0.1:19001  (shard 2)
#
# Both know the cluster "seg_test_2shards" (shard 1 = server 1, shard 2 = server 2), so a
# Distributed table on server 1 spreads over both. Each server runs in the foreground of its
# own process (no daemon, no systemd), listens on loopback only and keeps its data, logs and
# configuration in a private directory that "stop" removes.
#
#   ch-server.sh start    start both (idempotent: a running server is left alone)
#   ch-server.sh stop     stop both (TERM, then KILL after 15 s) and remove their directory
#   ch-server.sh status   exit 0 when both answer
#   ch-server.sh env      print the environment the tests read, as shell assignments
#
# Ports and the directory can be moved with SEG_CH_HTTP_PORT1, SEG_CH_TCP_PORT1,
# SEG_CH_HTTPS_PORT1, SEG_CH_HTTP_PORT2, SEG_CH_TCP_PORT2 and SEG_CH_DIR. Tests read
# SEG_CLICKHOUSE_URL (server 1), SEG_CLICKHOUSE_URL2 (server 2), SEG_CLICKHOUSE_HTTPS_URL
# with SEG_CLICKHOUSE_CA_FILE, and SEG_CLICKHOUSE_CLUSTER; the defaults match this script.

set -eu

HTTP1=${SEG_CH_HTTP_PORT1:-18123}
TCP1=${SEG_CH_TCP_PORT1:-19000}
HTTPS1=${SEG_CH_HTTPS_PORT1:-18443}
HTTP2=${SEG_CH_HTTP_PORT2:-18124}
TCP2=${SEG_CH_TCP_PORT2:-19001}
BASE=${SEG_CH_DIR:-${TMPDIR:-/tmp}/seg-clickhouse-$(id -u)}
CLUSTER=seg_test_2shards
SERVER=${SEG_CH_SERVER:-/usr/sbin/clickhouse-server}
READY_TIMEOUT=${SEG_CH_READY_TIMEOUT:-60}

# The user the auth tests log in as; a throwaway password for a loopback-only test server.
AUTH_USER=seg_auth
AUTH_PASSWORD=seg-test-password

# A private CA and a certificate for 127.0.0.1, for the https test.
make_tls () {
  tls=$1
  mkdir -p "$tls"
  [ -f "$tls/server.crt" ] && return 0
  printf 'subjectAltName=IP:127.0.0.1\n' > "$tls/ext.cnf"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tls/ca.key" -out "$tls/ca.crt" \
    -days 3 -subj /CN=segment-studio-test-ca > /dev/null 2>&1 &&
  openssl req -newkey rsa:2048 -nodes -keyout "$tls/server.key" -out "$tls/server.csr" \
    -subj /CN=127.0.0.1 > /dev/null 2>&1 &&
  openssl x509 -req -in "$tls/server.csr" -CA "$tls/ca.crt" -CAkey "$tls/ca.key" \
    -CAcreateserial -out "$tls/server.crt" -days 3 -extfile "$tls/ext.cnf" > /dev/null 2>&1
}

write_config () {
  dir=$1 http=$2 tcp=$3 https=${4:-}
  mkdir -p "$dir/data" "$dir/tmp" "$dir/user_files" "$dir/format_schemas" "$dir/log"
  sha=$(printf '%s' "$AUTH_PASSWORD" | sha256sum | cut -d' ' -f1)
  tls_config=""
  if [ -n "$https" ] && command -v openssl > /dev/null && make_tls "$dir/tls"; then
    tls_config="<https_port>$https</https_port>
  <openSSL>
    <server>
      <certificateFile>$dir/tls/server.crt</certificateFile>
      <privateKeyFile>$dir/tls/server.key</privateKeyFile>
      <verificationMode>none</verificationMode>
      <loadDefaultCAFile>false</loadDefaultCAFile>
      <cacheSessions>true</cacheSessions>
      <disableProtocols>sslv2,sslv3</disableProtocols>
      <preferServerCiphers>true</preferServerCiphers>
    </server>
  </openSSL>"
  fi
  cat > "$dir/config.xml" <<EOF
<?xml version="1.0"?>
<yandex>
  <logger>
    <level>warning</level>
    <log>$dir/log/server.log</log>
    <errorlog>$dir/log/server.err.log</errorlog>
    <size>10M</size>
    <count>2</count>
  </logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>$http</http_port>
  <tcp_port>$tcp</tcp_port>
  $tls_config
  <max_connections>256</max_connections>
  <keep_alive_timeout>10</keep_alive_timeout>
  <max_concurrent_queries>50</max_concurrent_queries>
  <uncompressed_cache_size>268435456</uncompressed_cache_size>
  <mark_cache_size>268435456</mark_cache_size>
  <path>$dir/data/</path>
  <tmp_path>$dir/tmp/</tmp_path>
  <user_files_path>$dir/user_files/</user_files_path>
  <format_schema_path>$dir/format_schemas/</format_schema_path>
  <users_config>$dir/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mlock_executable>false</mlock_executable>
  <remote_servers>
    <$CLUSTER>
      <shard>
        <replica><host>127.0.0.1</host><port>$TCP1</port></replica>
      </shard>
      <shard>
        <replica><host>127.0.0.1</host><port>$TCP2</port></replica>
      </shard>
    </$CLUSTER>
  </remote_servers>
  <max_session_timeout>3600</max_session_timeout>
  <default_session_timeout>60</default_session_timeout>
</yandex>
EOF
  cat > "$dir/users.xml" <<EOF
<?xml version="1.0"?>
<yandex>
  <profiles>
    <default>
      <max_memory_usage>2000000000</max_memory_usage>
      <use_uncompressed_cache>0</use_uncompressed_cache>
      <load_balancing>random</load_balancing>
    </default>
  </profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
    <$AUTH_USER>
      <password_sha256_hex>$sha</password_sha256_hex>
      <networks><ip>127.0.0.1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </$AUTH_USER>
  </users>
  <quotas>
    <default>
      <interval>
        <duration>3600</duration>
        <queries>0</queries>
        <errors>0</errors>
        <result_rows>0</result_rows>
        <read_rows>0</read_rows>
        <execution_time>0</execution_time>
      </interval>
    </default>
  </quotas>
</yandex>
EOF
}

answers () {
  # ClickHouse answers "Ok." on its HTTP root when it is ready.
  if command -v curl > /dev/null; then
    curl -s --max-time 2 "http://127.0.0.1:$1/" 2>/dev/null | grep -q '^Ok\.'
  else
    wget -q -T 2 -O - "http://127.0.0.1:$1/" 2>/dev/null | grep -q '^Ok\.'
  fi
}

alive () {
  [ -f "$1/server.pid" ] && kill -0 "$(cat "$1/server.pid")" 2>/dev/null
}

start_one () {
  dir=$1 http=$2 tcp=$3 https=${4:-}
  if alive "$dir" && answers "$http"; then
    return 0
  fi
  if answers "$http"; then
    echo "ch-server: port $http already answers but was not started by this script" >&2
    return 1
  fi
  if alive "$dir"; then
    # A server of ours that does not answer: stop it before starting anew.
    stop_one "$dir"
  fi
  write_config "$dir" "$http" "$tcp" "$https"
  # Not a daemon: the process stays the child of this shell's background job.
  setsid nohup "$SERVER" --config-file="$dir/config.xml" \
    > "$dir/log/stdout.log" 2>&1 < /dev/null &
  echo $! > "$dir/server.pid"
}

wait_ready () {
  dir=$1 http=$2
  waited=0
  while ! answers "$http"; do
    if ! alive "$dir"; then
      echo "ch-server: the server on port $http exited; see $dir/log/" >&2
      tail -n 20 "$dir/log/server.err.log" "$dir/log/stdout.log" >&2 2>/dev/null || true
      return 1
    fi
    if [ "$waited" -ge "$((READY_TIMEOUT * 10))" ]; then
      echo "ch-server: the server on port $http is not ready after ${READY_TIMEOUT}s" >&2
      return 1
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
}

stop_one () {
  dir=$1
  [ -f "$dir/server.pid" ] || return 0
  pid=$(cat "$dir/server.pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    i=0
    while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 150 ]; do
      sleep 0.1
      i=$((i + 1))
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "ch-server: server $pid did not stop in 15 s, killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$dir/server.pid"
}

print_env () {
  echo "SEG_CLICKHOUSE_URL=http://127.0.0.1:$HTTP1"
  echo "SEG_CLICKHOUSE_URL2=http://127.0.0.1:$HTTP2"
  echo "SEG_CLICKHOUSE_HTTPS_URL=https://127.0.0.1:$HTTPS1"
  echo "SEG_CLICKHOUSE_CA_FILE=$BASE/s1/tls/ca.crt"
  echo "SEG_CLICKHOUSE_CLUSTER=$CLUSTER"
  echo "SEG_CLICKHOUSE_AUTH_USER=$AUTH_USER"
  echo "SEG_CLICKHOUSE_AUTH_PASSWORD=$AUTH_PASSWORD"
}

if [ ! -x "$SERVER" ] && [ "${1:-}" = start ]; then
  echo "ch-server: $SERVER not found; install Debian's clickhouse-server" >&2
  exit 1
fi

case "${1:-}" in
  start)
    mkdir -p "$BASE"
    start_one "$BASE/s1" "$HTTP1" "$TCP1" "$HTTPS1"
    start_one "$BASE/s2" "$HTTP2" "$TCP2"
    wait_ready "$BASE/s1" "$HTTP1"
    wait_ready "$BASE/s2" "$HTTP2"
    ;;
  stop)
    stop_one "$BASE/s1"
    stop_one "$BASE/s2"
    rm -rf "$BASE"
    ;;
  status)
    alive "$BASE/s1" && answers "$HTTP1" && alive "$BASE/s2" && answers "$HTTP2"
    ;;
  env)
    print_env
    ;;
  *)
    echo "usage: $0 start|stop|status|env" >&2
    exit 2
    ;;
esac
