# shellcheck shell=bash
# Sourced by scripts/soak, scripts/fuzz-schemathesis and bench/run.sh: the one
# release build they share.
#
# Building the soak tool (the example bench/soak) needs the dev-dependencies,
# and Cargo's feature resolver then unifies their features into the server's
# dependencies too (hyper gets its `client` feature from reqwest, for one).
# A plain `cargo build --release --bin ordergraph` is therefore a second,
# different build of most of the dependency graph. Every script runs the same
# command below, so whichever runs first builds and the others find the build
# fresh; .ci/run runs it once and passes SKIP_BUILD=1.
#
#   release_build   runs RELEASE_BUILD (unless SKIP_BUILD=1), then checks that
#                   RELEASE_BIN (the server) and RELEASE_SOAK (the soak tool)
#                   exist
#
# The paths follow CARGO_TARGET_DIR (default: target/ beside Cargo.toml). Call
# it from the repository root: a relative CARGO_TARGET_DIR is relative to it.

RELEASE_BUILD=(cargo build --release --locked --example soak --bin ordergraph)
RELEASE_TARGET_DIR="${CARGO_TARGET_DIR:-target}"
RELEASE_BIN="$RELEASE_TARGET_DIR/release/ordergraph"
RELEASE_SOAK="$RELEASE_TARGET_DIR/release/examples/soak"

release_build() {
  if [ "${SKIP_BUILD:-0}" = 1 ]; then
    echo "== SKIP_BUILD=1: using the release build in $RELEASE_TARGET_DIR (${RELEASE_BUILD[*]})" >&2
  else
    echo "== ${RELEASE_BUILD[*]}  (CARGO_TARGET_DIR=$RELEASE_TARGET_DIR)" >&2
    CARGO_TARGET_DIR="$RELEASE_TARGET_DIR" "${RELEASE_BUILD[@]}" || return 1
  fi
  local f
  for f in "$RELEASE_BIN" "$RELEASE_SOAK"; do
    if [ ! -x "$f" ]; then
      echo "error: no $f; build it with: ${RELEASE_BUILD[*]}" >&2
      return 1
    fi
  done
}
