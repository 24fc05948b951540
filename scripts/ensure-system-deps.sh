#!/usr/bin/env bash
# Installs the Debian packages the project needs where they are missing.
#   browser   chromium + fonts-noto-cjk (browser tests, Chinese in screenshots)
#   postgres  postgresql (15 on Debian 12)
set -euo pipefail
need=()
for what in "$@"; do
  case "$what" in
    browser)
      [ -x /usr/bin/chromium ] || need+=(chromium)
      dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need+=(fonts-noto-cjk) ;;
    postgres)
      command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /usr/lib/postgresql/15 ] || need+=(postgresql) ;;
    *) echo "unknown dependency group: $what" >&2; exit 2 ;;
  esac
done
[ ${#need[@]} -eq 0 ] && exit 0
echo "Installing: ${need[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq "${need[@]}" >/dev/null
