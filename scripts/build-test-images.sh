#!/usr/bin/env bash
# Builds the images the tests and examples use, from what is on this machine (no registry needed):
#   gofer-test/busybox:latest  FROM scratch + a static busybox (tests)
#   busybox:stable             the same, only if it is not present and cannot be pulled (examples)
set -euo pipefail

busybox_bin() {
  for candidate in /bin/busybox /usr/bin/busybox; do
    if [ -x "$candidate" ] && file_is_static "$candidate"; then echo "$candidate"; return; fi
  done
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq busybox-static >/dev/null
    echo /bin/busybox; return
  fi
  echo "need a static busybox: apt-get install busybox-static" >&2; exit 1
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

docker image inspect gofer-test/busybox:latest >/dev/null 2>&1 || build_busybox gofer-test/busybox:latest
if ! docker image inspect busybox:stable >/dev/null 2>&1; then
  timeout 60 docker pull -q busybox:stable >/dev/null 2>&1 || build_busybox busybox:stable
fi
