#!/usr/bin/env bash
# The browser tests (tests/browser) drive Debian's chromium through Playwright; Playwright's own browser
# download is not used (it needs a host CI cannot reach). Installs chromium with apt-get when it is missing
# and we can (root on Debian/Ubuntu, as CI is); otherwise says how, and the browser tests fail loudly.
set -euo pipefail
for candidate in "${FAKECAMPAIGN_CHROMIUM:-}" chromium chromium-browser; do
    if [ -n "$candidate" ] && command -v "$candidate" >/dev/null 2>&1; then
        exit 0
    fi
done
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "browser tests: installing Debian's chromium with apt-get" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1 \
        || { apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium; }
    exit 0
fi
echo "browser tests: no chromium found and cannot apt-get it here; install chromium (or set" >&2
echo "FAKECAMPAIGN_CHROMIUM to a Chromium binary). The browser tests will fail until then." >&2
