#!/usr/bin/env bash
# Build llama-cpp-python for this CPU — every instruction set it has EXCEPT AMX — once, keep the
# wheel in the project cache, and install it into .venv.
#
# Why not pip's default (-march=native): on CPUs that report AMX but run under a hypervisor that
# does not enable AMX state (this project's development and CI machines), the native build
# executes `tilezero` in the matrix-multiply path and the process dies with SIGILL. pip's wheel
# cache does not key on CMAKE_ARGS, so we build our own wheel, named by its flags.
# Usage: scripts/build-llama.sh PIP   (called by scripts/setup.sh)
set -euo pipefail
PIP=${1:-.venv/bin/pip}
VERSION=$(sed -n 's/.*"llama-cpp-python==\([0-9.]*\)".*/\1/p' pyproject.toml)
[ -n "$VERSION" ] || { echo "error: pyproject.toml must pin llama-cpp-python==X.Y.Z" >&2; exit 2; }

flags="-DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF"
if [ "$(uname -m)" = x86_64 ] && [ -r /proc/cpuinfo ]; then
  cpu=" $(grep -m1 '^flags' /proc/cpuinfo | cut -d: -f2) "
  has() { for f in "$@"; do case "$cpu" in *" $f "*) ;; *) return 1;; esac; done; }
  flags="-DGGML_NATIVE=OFF $flags"
  has avx && flags+=" -DGGML_AVX=ON"
  has avx2 && flags+=" -DGGML_AVX2=ON"
  has fma && flags+=" -DGGML_FMA=ON"
  has f16c && flags+=" -DGGML_F16C=ON"
  has bmi2 && flags+=" -DGGML_BMI2=ON"
  has avx_vnni && flags+=" -DGGML_AVX_VNNI=ON"
  if has avx512f avx512cd avx512vl avx512dq avx512bw; then
    flags+=" -DGGML_AVX512=ON"
    has avx512_vnni && flags+=" -DGGML_AVX512_VNNI=ON"
    has avx512_bf16 && flags+=" -DGGML_AVX512_BF16=ON"
  fi
fi
key=$(echo "$VERSION $flags" | sha256sum | cut -c1-12)
cache=${BRIEF_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/italian-brief}/wheels/llama-$key
wheel=$(ls "$cache"/llama_cpp_python-"$VERSION"-*.whl 2>/dev/null | head -n1 || true)
if [ -z "$wheel" ]; then
  echo "==> compiling llama-cpp-python $VERSION for this CPU without AMX (once; about 5-8 minutes on 2 cores)" >&2
  echo "    CMAKE_ARGS=$flags" >&2
  mkdir -p "$cache.partial"
  CMAKE_ARGS="$flags" $PIP wheel -q --no-deps --no-cache-dir -w "$cache.partial" "llama-cpp-python==$VERSION"
  rm -rf "$cache" && mv "$cache.partial" "$cache"
  wheel=$(ls "$cache"/llama_cpp_python-"$VERSION"-*.whl | head -n1)
fi
$PIP install -q --no-deps --force-reinstall "$wheel"
