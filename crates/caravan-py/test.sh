#!/usr/bin/env bash
# The Python package's tests in a fresh virtual environment: the extension built in place
# (debug, reusing `cargo test`'s dependencies), pytest against the `caravan` binary the Rust
# tests built and on their network cache. Usage: crates/caravan-py/test.sh [pytest args]
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
venv=$root/target/py-venv
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check \
  maturin pytest pyarrow pandas geopandas "dask[dataframe]" distributed
VIRTUAL_ENV=$venv PATH=$venv/bin:$PATH maturin develop -q
if [ ! -x target/debug/caravan ]; then
  cargo build -q -p caravan-cli
fi
CARAVAN_BIN=${CARAVAN_BIN:-$root/target/debug/caravan} \
CARAVAN_CACHE=${CARAVAN_CACHE:-$root/target/tmp/caravan-cache} \
  "$venv/bin/python" -m pytest -q -p no:cacheprovider python/tests "$@"
