# Sourced by scripts/soak and scripts/fuzz-schemathesis: start `ordergraph
# serve` on a free port of 127.0.0.1, read its address and demo key from
# stdout, and stop it with SIGTERM, checking that it exits 0.
#
#   start_server BIN DATABASE_URL LOG_DIR   sets SERVER_PID, SERVER_ADDR, SERVER_KEY
#   stop_server                            SIGTERM, wait, fail unless exit status 0

SERVER_PID=""
SERVER_ADDR=""
SERVER_KEY=""
SERVER_LOG_DIR=""

start_server() {
  local bin="$1" database_url="$2"
  SERVER_LOG_DIR="$3"
  RUST_LOG="${RUST_LOG:-ordergraph=warn,tower_http=warn}" \
    "$bin" serve --database-url "$database_url" --listen 127.0.0.1:0 \
    >"$SERVER_LOG_DIR/server.out" 2>"$SERVER_LOG_DIR/server.err" </dev/null &
  SERVER_PID=$!
  local waited=0
  # A fresh database prints "ordergraph is listening on ADDR", then the demo key "  og_…".
  until grep -q '^  og_' "$SERVER_LOG_DIR/server.out" 2>/dev/null; do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "error: ordergraph exited while starting:" >&2
      cat "$SERVER_LOG_DIR/server.out" "$SERVER_LOG_DIR/server.err" >&2
      SERVER_PID=""
      return 1
    fi
    if [ "$waited" -ge 600 ]; then
      echo "error: ordergraph printed no address and key within 60 s" >&2
      cat "$SERVER_LOG_DIR/server.err" >&2
      return 1
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  SERVER_ADDR=$(sed -n 's/^ordergraph is listening on //p' "$SERVER_LOG_DIR/server.out" | head -n1)
  SERVER_KEY=$(sed -n 's/^  \(og_[A-Za-z0-9_-]*\).*/\1/p' "$SERVER_LOG_DIR/server.out" | head -n1)
  if [ -z "$SERVER_ADDR" ] || [ -z "$SERVER_KEY" ]; then
    echo "error: could not read the address and key from:" >&2
    cat "$SERVER_LOG_DIR/server.out" >&2
    return 1
  fi
}

stop_server() {
  [ -n "$SERVER_PID" ] || return 0
  local pid="$SERVER_PID" status=0
  SERVER_PID=""
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" || status=$?
  if [ "$status" -ne 0 ]; then
    echo "error: ordergraph exited with status $status after SIGTERM; its log:" >&2
    tail -n 50 "$SERVER_LOG_DIR/server.err" >&2
    return 1
  fi
  echo "server stopped by SIGTERM, exit status 0"
}

# For an EXIT trap: end the server if it is still running (no status check).
kill_server() {
  if [ -n "$SERVER_PID" ]; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
  fi
}
