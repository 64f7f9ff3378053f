#!/usr/bin/env bash
# Re-fetch the GraphiQL browser assets served by ordergraph at /assets/graphiql/
# and check them against vendor/graphiql/SHA256SUMS.
#
#   scripts/vendor-graphiql.sh           fetch, copy, verify (fails on any mismatch)
#   scripts/vendor-graphiql.sh --update  fetch, copy, rewrite SHA256SUMS
#
# Needs: bash, npm (talks to the npm registry), tar, sha256sum.
set -euo pipefail

GRAPHIQL_VERSION=3.8.3
REACT_VERSION=18.3.1
REACT_DOM_VERSION=18.3.1

# Files we vendor, in the order they appear in SHA256SUMS.
FILES=(
  graphiql.min.js
  graphiql.min.css
  react.production.min.js
  react-dom.production.min.js
  LICENSE.graphiql
  LICENSE.react
  LICENSE.react-dom
)

die() { echo "vendor-graphiql: ERROR: $*" >&2; exit 1; }
log() { echo "vendor-graphiql: $*" >&2; }

update=0
case "${1:-}" in
  "") ;;
  --update) update=1 ;;
  -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
  *) die "unknown argument: $1 (usage: $0 [--update])" ;;
esac
[ $# -le 1 ] || die "too many arguments (usage: $0 [--update])"

for tool in npm tar sha256sum; do
  command -v "$tool" >/dev/null 2>&1 || die "'$tool' is required but not installed"
done

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$repo_root/vendor/graphiql"
sums="$dest/SHA256SUMS"

work="$(mktemp -d "${TMPDIR:-/tmp}/vendor-graphiql.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# --- 1. fetch the three tarballs from the npm registry -----------------------
log "npm pack graphiql@$GRAPHIQL_VERSION react@$REACT_VERSION react-dom@$REACT_DOM_VERSION"
(
  cd "$work"
  npm pack --silent --no-fund --no-audit \
    "graphiql@$GRAPHIQL_VERSION" "react@$REACT_VERSION" "react-dom@$REACT_DOM_VERSION" >/dev/null
)

unpack() { # name version -> prints the unpacked package dir
  local name="$1" version="$2" tgz="$work/$1-$2.tgz" dir="$work/x/$1"
  [ -f "$tgz" ] || die "npm pack did not produce $(basename "$tgz")"
  mkdir -p "$dir"
  tar -xzf "$tgz" -C "$dir"
  [ -f "$dir/package/package.json" ] || die "$(basename "$tgz") has no package/package.json"
  grep -q "\"version\": \"$version\"" "$dir/package/package.json" \
    || die "$(basename "$tgz") is not version $version"
  echo "$dir/package"
}
graphiql_pkg="$(unpack graphiql "$GRAPHIQL_VERSION")"
react_pkg="$(unpack react "$REACT_VERSION")"
react_dom_pkg="$(unpack react-dom "$REACT_DOM_VERSION")"

# --- 2. stage the files -------------------------------------------------------
# graphiql 3.x ships its UMD/CDN bundle (window.GraphiQL, expects window.React and
# window.ReactDOM) at the package root; dist/ and esm/ hold CommonJS/ESM builds
# that need a bundler and are not usable from a <script> tag.
stage="$work/stage"
mkdir -p "$stage"
copy() { # src dest-name
  [ -f "$1" ] || die "missing in tarball: ${1#"$work"/x/}"
  cp "$1" "$stage/$2"
}
copy "$graphiql_pkg/graphiql.min.js"                      graphiql.min.js
copy "$graphiql_pkg/graphiql.min.css"                     graphiql.min.css
copy "$react_pkg/umd/react.production.min.js"             react.production.min.js
copy "$react_dom_pkg/umd/react-dom.production.min.js"     react-dom.production.min.js
copy "$graphiql_pkg/LICENSE"                              LICENSE.graphiql
copy "$react_pkg/LICENSE"                                 LICENSE.react
copy "$react_dom_pkg/LICENSE"                             LICENSE.react-dom

# --- 3. offline guard ---------------------------------------------------------
# GraphiQL must work with no internet. In 3.8.3 the CSS embeds its fonts
# (Roboto, Fira Code) and images as data: URIs and has no @import, so nothing
# needs stripping. Should a future version add a remote @import (e.g. Google
# Fonts) or a remote url(), stop here rather than vendor something that phones
# out; strip it with a sed step *here* (before checksums) and document it.
css="$stage/graphiql.min.css"
if grep -nE '@import' "$css" >&2; then
  die "graphiql.min.css contains @import (see above); strip it before vendoring"
fi
if grep -noiE 'url\([[:space:]]*["'"'"']?[[:space:]]*(https?:)?//[^)]{0,80}' "$css" >&2; then
  die "graphiql.min.css loads a remote url() (see above); strip it before vendoring"
fi
# Well-known CDN / font hosts must not appear as URLs in any vendored file.
cdn_re='https?://(fonts\.googleapis\.com|fonts\.gstatic\.com|unpkg\.com|cdn\.jsdelivr\.net|cdnjs\.cloudflare\.com|esm\.sh)'
if grep -noE "$cdn_re[^\"' )]{0,80}" "$stage"/*.js "$stage"/*.css >&2; then
  die "a vendored file references a CDN/font host (see above)"
fi

# --- 4. checksums -------------------------------------------------------------
if [ "$update" -eq 1 ]; then
  (cd "$stage" && sha256sum "${FILES[@]}") >"$work/SHA256SUMS.new"
else
  [ -f "$sums" ] || die "$sums not found; run '$0 --update' to create it"
  # SHA256SUMS must list exactly the vendored files (sha256sum -c alone would
  # silently skip a file that is not listed).
  listed="$(awk '{ sub(/^\*/, "", $2); print $2 }' "$sums" | sort)"
  expected="$(printf '%s\n' "${FILES[@]}" | sort)"
  [ "$listed" = "$expected" ] \
    || die "SHA256SUMS lists [$(echo $listed)], expected [$(echo $expected)]"
  log "verifying fetched files against vendor/graphiql/SHA256SUMS"
  if ! (cd "$stage" && sha256sum --strict -c "$sums" >&2); then
    die "CHECKSUM MISMATCH: the fetched files differ from vendor/graphiql/SHA256SUMS. \
Nothing in vendor/graphiql/ was changed. If the change is intended (e.g. a version bump), \
review it and re-run with --update."
  fi
fi

# --- 5. install into vendor/graphiql/ -------------------------------------------
mkdir -p "$dest"
for f in "${FILES[@]}"; do
  cp "$stage/$f" "$dest/$f"
  chmod 0644 "$dest/$f"
done
if [ "$update" -eq 1 ]; then
  cp "$work/SHA256SUMS.new" "$sums"
  chmod 0644 "$sums"
  log "rewrote vendor/graphiql/SHA256SUMS"
fi

# Final check of what is now on disk.
(cd "$dest" && sha256sum --strict --quiet -c SHA256SUMS) \
  || die "CHECKSUM MISMATCH in vendor/graphiql/ after copying"
log "OK: ${#FILES[@]} files in vendor/graphiql/ match SHA256SUMS"
