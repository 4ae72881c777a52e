#!/usr/bin/env bash
# Builds a trigger image from a trigger module written with gofer_sdk.trigger:
#   scripts/build-trigger-image.sh TAG path/to/trigger.py [BASE_IMAGE]
# BASE_IMAGE defaults to python:3.11-slim; the tests use gofer-test/python:3.11 (no registry needed).
# The image is rebuilt only when the trigger or the SDK changed.
set -euo pipefail
cd "$(dirname "$0")/.."
tag=$1 module=$2 base=${3:-python:3.11-slim}
PYTHON=${PYTHON:-.venv/bin/python}

source_hash=$(cat "$module" sdk/pyproject.toml triggers/Dockerfile $(find sdk/gofer_sdk -name '*.py' | sort) | sha256sum | cut -c1-16)
if [ "$(docker image inspect -f '{{index .Config.Labels "dev.gofer.source"}}' "$tag" 2>/dev/null)" = "$source_hash" ]; then
  exit 0
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$PYTHON" -m pip install -qq --target "$dir/site" ./sdk
rm -rf "$dir/site/bin"
cp "$module" "$dir/trigger.py"
cp triggers/Dockerfile "$dir/Dockerfile"
DOCKER_BUILDKIT=0 docker build -q --build-arg "BASE=$base" --label "dev.gofer.source=$source_hash" -t "$tag" "$dir" \
  >/dev/null 2>"$dir/build.log" || { cat "$dir/build.log" >&2; exit 1; }
echo "built $tag"
