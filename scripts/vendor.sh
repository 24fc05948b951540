#!/usr/bin/env bash
# Re-fetch the front-end assets from the npm registry into src/kaifaqu/static/vendor/ and record versions + SHA-256.
# Zones run on offline intranets: everything the pages load is served from here.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/src/kaifaqu/static/vendor"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

fetch() {  # fetch SPEC -> prints the unpacked package dir
  local spec=$1 dir
  dir="$tmp/$(echo "$spec" | tr '@/' '__')"
  mkdir -p "$dir"
  (cd "$dir" && npm pack --silent "$spec" >/dev/null && tar -xzf ./*.tgz)
  echo "$dir/package"
}

rm -rf "$dest/bootstrap" "$dest/echarts" "$dest/bootstrap-icons"
mkdir -p "$dest/bootstrap/css" "$dest/bootstrap/js" "$dest/echarts" "$dest/bootstrap-icons/font/fonts"

bs=$(fetch bootstrap@5.3)
cp "$bs/dist/css/bootstrap.min.css" "$bs/dist/css/bootstrap.min.css.map" "$dest/bootstrap/css/"
cp "$bs/dist/js/bootstrap.bundle.min.js" "$bs/dist/js/bootstrap.bundle.min.js.map" "$dest/bootstrap/js/"
cp "$bs/LICENSE" "$dest/bootstrap/LICENSE"

ec=$(fetch echarts@5)
cp "$ec/dist/echarts.min.js" "$ec/LICENSE" "$dest/echarts/"
[ -f "$ec/NOTICE" ] && cp "$ec/NOTICE" "$dest/echarts/"

bi=$(fetch bootstrap-icons@1)
cp "$bi/font/bootstrap-icons.min.css" "$dest/bootstrap-icons/font/" 2>/dev/null \
  || cp "$bi/font/bootstrap-icons.css" "$dest/bootstrap-icons/font/bootstrap-icons.min.css"
cp "$bi/font/fonts/bootstrap-icons.woff2" "$bi/font/fonts/bootstrap-icons.woff" "$dest/bootstrap-icons/font/fonts/"
cp "$bi/LICENSE" "$dest/bootstrap-icons/LICENSE"

{
  echo "# Vendored front-end assets (scripts/vendor.sh). sha256  path"
  for pair in "bootstrap:$bs" "echarts:$ec" "bootstrap-icons:$bi"; do
    name=${pair%%:*}; dir=${pair#*:}
    version=$(node -p "require('$dir/package.json').version")
    echo "# $name@$version"
    (cd "$dest" && find "$name" -type f | sort | xargs sha256sum)
  done
} > "$dest/VERSIONS.txt"
cat "$dest/VERSIONS.txt"
