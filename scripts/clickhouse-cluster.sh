#!/usr/bin/env bash
# A two-shard ClickHouse cluster on loopback for the engine tests and benchmark:
#   scripts/clickhouse-cluster.sh start   starts two clickhouse-server processes as the current user and
#                                         prints TELCO_CLICKHOUSE_URL=... (the first server's HTTP URL, the
#                                         one to query), TELCO_CLICKHOUSE_SHARD_URLS=... and
#                                         TELCO_CLICKHOUSE_CLUSTER=... lines to source with `set -a`;
#   scripts/clickhouse-cluster.sh stop    stops them (pids from the pidfiles) and removes the data.
# Each server has its own data directory under CLICKHOUSE_CLUSTER_DIR (default /tmp/telco-clickhouse),
# its own HTTP/TCP/interserver ports, and a `remote_servers` entry `telco_cluster` with one shard per
# server, so a Distributed table on either spreads over both. Ports: HTTP 18123/18124, TCP 19000/19001,
# interserver 19009/19010 (override with CLICKHOUSE_HTTP_PORT/CLICKHOUSE_TCP_PORT, the second server
# takes the next port).
set -euo pipefail

dir="${CLICKHOUSE_CLUSTER_DIR:-/tmp/telco-clickhouse}"
http_port="${CLICKHOUSE_HTTP_PORT:-18123}"
tcp_port="${CLICKHOUSE_TCP_PORT:-19000}"
interserver_port="${CLICKHOUSE_INTERSERVER_PORT:-19009}"
server="${CLICKHOUSE_SERVER:-$(command -v clickhouse-server || echo /usr/sbin/clickhouse-server)}"

config() { # shard index (0 or 1)
  local shard="$1"
  cat <<XML
<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>$dir/shard$shard/server.log</log><errorlog>$dir/shard$shard/error.log</errorlog></logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>$((http_port + shard))</http_port>
  <tcp_port>$((tcp_port + shard))</tcp_port>
  <interserver_http_port>$((interserver_port + shard))</interserver_http_port>
  <interserver_http_host>127.0.0.1</interserver_http_host>
  <path>$dir/shard$shard/data/</path>
  <tmp_path>$dir/shard$shard/tmp/</tmp_path>
  <user_files_path>$dir/shard$shard/user_files/</user_files_path>
  <format_schema_path>$dir/shard$shard/format_schemas/</format_schema_path>
  <users_config>$dir/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mark_cache_size>268435456</mark_cache_size>
  <max_concurrent_queries>50</max_concurrent_queries>
  <timezone>UTC</timezone>
  <remote_servers>
    <telco_cluster>
      <shard><replica><host>127.0.0.1</host><port>$tcp_port</port></replica></shard>
      <shard><replica><host>127.0.0.1</host><port>$((tcp_port + 1))</port></replica></shard>
    </telco_cluster>
  </remote_servers>
</yandex>
XML
}

users() {
  cat <<'XML'
<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>4000000000</max_memory_usage><load_balancing>random</load_balancing></default></profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
  </users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
XML
}

answers() { # port: GET /ping over bash's /dev/tcp (no curl needed on a fresh machine)
  timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1 && printf 'GET /ping HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q '^Ok\\.' <&3" 2>/dev/null
}

stop() {
  local shard pid
  for shard in 0 1; do
    if [ -f "$dir/shard$shard/server.pid" ]; then
      pid="$(cat "$dir/shard$shard/server.pid")"
      if kill -0 "$pid" 2>/dev/null; then
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -9 "$pid" 2>/dev/null || true
      fi
      rm -f "$dir/shard$shard/server.pid"
    fi
  done
  rm -rf "$dir"
}

start() {
  if [ ! -x "$server" ]; then
    echo "clickhouse-cluster: clickhouse-server not found (install Debian's clickhouse-server)" >&2
    exit 1
  fi
  stop
  mkdir -p "$dir"
  users >"$dir/users.xml"
  local shard
  for shard in 0 1; do
    mkdir -p "$dir/shard$shard/data" "$dir/shard$shard/tmp" "$dir/shard$shard/user_files" "$dir/shard$shard/format_schemas"
    config "$shard" >"$dir/shard$shard/config.xml"
    (cd "$dir/shard$shard" && exec "$server" --config-file="$dir/shard$shard/config.xml" \
      >"$dir/shard$shard/stdout.log" 2>&1 </dev/null) &
    echo "$!" >"$dir/shard$shard/server.pid"
  done
  for shard in 0 1; do
    local waited=0
    until answers "$((http_port + shard))"; do
      if [ "$waited" -ge 300 ]; then
        echo "clickhouse-cluster: server $shard did not answer on port $((http_port + shard)) within 60 s:" >&2
        tail -n 20 "$dir/shard$shard/error.log" "$dir/shard$shard/stdout.log" >&2 2>/dev/null || true
        stop
        exit 1
      fi
      sleep 0.2
      waited=$((waited + 1))
    done
  done
  # KEY=value lines, to source with `set -a`: the URL to query, and every shard's own URL (the
  # tests create the per-shard tables under the Distributed table through them).
  echo "TELCO_CLICKHOUSE_URL=http://127.0.0.1:$http_port"
  echo "TELCO_CLICKHOUSE_SHARD_URLS=http://127.0.0.1:$http_port,http://127.0.0.1:$((http_port + 1))"
  echo "TELCO_CLICKHOUSE_CLUSTER=telco_cluster"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
