#!/usr/bin/env bash
# Set up everything ERKG needs on a fresh Debian machine with Python >= 3.11:
# Debian packages (a Java runtime for the HermiT reasoner, the OWL API for the
# Protégé-compatibility tests, npm for the query UI's assets, Chromium for its
# browser test, Virtuoso for the tests against external SPARQL engines, curl
# for the client tests), a virtualenv in .venv and the project in it, and the
# npm packages (YASGUI for the query UI, Comunica for the client tests; pinned
# in package-lock.json) in node_modules/.
# Idempotent and quick when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(libowlapi-java libslf4j-java chromium virtuoso-opensource curl)
# A JDK already on PATH serves as well as Debian's; so does an npm.
command -v javac >/dev/null && command -v java >/dev/null || APT_PACKAGES+=(default-jdk-headless)
command -v npm >/dev/null || APT_PACKAGES+=(npm)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup: missing Debian packages: ${missing[*]} (run as root, or install them: apt-get install ${missing[*]})" >&2
    exit 1
  fi
  echo "setup: installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # Where an init system runs, Virtuoso's postinst starts a system instance (ports 1111
  # and 8890, password dba) and enables it at boot; the tests start their own instances
  # (tests/engines.py). Stopped through its init script, which works with or without systemd.
  if [[ " ${missing[*]} " == *" virtuoso-opensource "* && -x /etc/init.d/virtuoso-opensource-7 ]]; then
    /etc/init.d/virtuoso-opensource-7 stop >/dev/null 2>&1 || true
    update-rc.d virtuoso-opensource-7 disable >/dev/null 2>&1 || true
  fi
fi

PYTHON=${PYTHON:-python3}
if [[ ! -x .venv/bin/python ]]; then
  echo "setup: creating .venv"
  "$PYTHON" -m venv .venv
fi
# Reinstall only when the dependencies changed.
stamp=.venv/.erkg-installed
if [[ ! -f $stamp || pyproject.toml -nt $stamp ]]; then
  echo "setup: installing Python packages"
  .venv/bin/pip install -q --disable-pip-version-check -e '.[test]'
  touch "$stamp"
fi

# The query UI's browser assets, served by `erkg serve` (never from a CDN), and
# Comunica for the client tests. Installed again only when package.json or
# package-lock.json changed; no package's install scripts run (YASGUI ships
# built, Comunica needs none).
npm_stamp=node_modules/.erkg-installed
if [[ ! -f $npm_stamp || package.json -nt $npm_stamp || ( -f package-lock.json && package-lock.json -nt $npm_stamp ) ]]; then
  echo "setup: installing npm packages (query UI, Comunica)"
  if [[ -f package-lock.json ]]; then
    npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
  else
    npm install --no-audit --no-fund --ignore-scripts --loglevel=error
  fi
  touch "$npm_stamp"
fi
