#!/usr/bin/env bash
# Builds the images the tests and examples use, from what is on this machine (no registry needed).
# With --examples-only, only what `make up` needs (busybox:stable).
#   gofer-test/busybox:latest  FROM scratch + a static busybox (tests)
#   busybox:stable             the same, only if it is not present and cannot be pulled (examples)
#   gofer-test/python:3.11     a minimal Debian rootfs with python3 (debootstrap from this machine's
#                              apt mirror; about a minute, built once per machine)
#   gofer-test/gofer-cli       python + this checkout's `gofer` CLI (rebuilt when the source changes)
#   gofer-test/trigger         python + the SDK + tests/triggers/testing_trigger.py
#   gofer/trigger-github       the GitHub trigger (triggers/github), on the same python base
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}

busybox_bin() {
  for candidate in /bin/busybox /usr/bin/busybox; do
    if [ -x "$candidate" ] && file_is_static "$candidate"; then echo "$candidate"; return; fi
  done
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    apt_install busybox-static
    echo /bin/busybox; return
  fi
  echo "need a static busybox: apt-get install busybox-static" >&2; exit 1
}

# A fresh machine may have no package lists yet: update once, then install.
apt_install() {
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1 \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null; }
}

file_is_static() { ! ldd "$1" >/dev/null 2>&1; }

build_busybox() {
  local tag=$1 dir
  dir=$(mktemp -d)
  cp "$(busybox_bin)" "$dir/busybox"
  cat > "$dir/Dockerfile" <<'DOCKERFILE'
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
ENV PATH=/bin
DOCKERFILE
  DOCKER_BUILDKIT=0 docker build -q -t "$tag" "$dir" >/dev/null 2>&1
  rm -rf "$dir"
  echo "built $tag"
}

# The first deb mirror in this machine's apt sources (deb822 or one-line format).
apt_mirror() {
  local uri
  uri=$(grep -hsE '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' | grep -v security | head -1)
  [ -n "$uri" ] || uri=$(grep -hsE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
    | awk '{print $2}' | grep -v security | head -1)
  [ -n "$uri" ] || { echo "no apt mirror found in /etc/apt/sources.list*" >&2; exit 1; }
  echo "$uri"
}

build_python() {
  local tag=$1 root suite
  command -v debootstrap >/dev/null || apt_install debootstrap
  suite=$(. /etc/os-release && echo "$VERSION_CODENAME")
  root=$(mktemp -d)
  debootstrap --variant=minbase --include=python3 "$suite" "$root" "$(apt_mirror)" >/dev/null
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  tar -C "$root" -c . | docker import -c 'CMD ["python3"]' - "$tag" >/dev/null
  rm -rf "$root"
  echo "built $tag"
}

# The CLI and its (pure-Python or manylinux) dependencies, installed for the image's Python 3.11
# from this machine; tagged with a hash of the source so that a change rebuilds it.
build_gofer_cli() {
  local tag=gofer-test/gofer-cli:latest source_hash dir
  source_hash=$(cat pyproject.toml sdk/pyproject.toml $(find gofer sdk/gofer_sdk -name '*.py' | sort) | sha256sum | cut -c1-16)
  if [ "$(docker image inspect -f '{{index .Config.Labels "dev.gofer.source"}}' "$tag" 2>/dev/null)" = "$source_hash" ]; then
    return
  fi
  dir=$(mktemp -d)
  "$PYTHON" -m pip install -qq --target "$dir/site" ./sdk typer rich
  "$PYTHON" -m pip install -qq --target "$dir/site" --no-deps .
  rm -rf "$dir/site/bin"
  cat > "$dir/Dockerfile" <<DOCKERFILE
FROM gofer-test/python:3.11
COPY site /opt/gofer
RUN printf '#!/bin/sh\nexec python3 -m gofer.cli.main "\$@"\n' > /usr/local/bin/gofer && chmod +x /usr/local/bin/gofer
ENV PYTHONPATH=/opt/gofer
LABEL dev.gofer.source=$source_hash
DOCKERFILE
  DOCKER_BUILDKIT=0 docker build -q -t "$tag" "$dir" >/dev/null 2>"$dir/build.log" \
    || { cat "$dir/build.log" >&2; exit 1; }
  rm -rf "$dir"
  echo "built $tag"
}

if ! docker image inspect busybox:stable >/dev/null 2>&1; then
  timeout 60 docker pull -q busybox:stable >/dev/null 2>&1 || build_busybox busybox:stable
fi
[ "${1:-}" = --examples-only ] && exit 0  # `make up` needs no test image
docker image inspect gofer-test/busybox:latest >/dev/null 2>&1 || build_busybox gofer-test/busybox:latest
docker image inspect gofer-test/python:3.11 >/dev/null 2>&1 || build_python gofer-test/python:3.11
build_gofer_cli
bash scripts/build-trigger-image.sh gofer-test/trigger:latest tests/triggers/testing_trigger.py gofer-test/python:3.11
bash scripts/build-trigger-image.sh gofer/trigger-github:latest triggers/github/trigger.py gofer-test/python:3.11
