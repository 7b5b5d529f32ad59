"""One engine for the whole session, on the cache the CLI's tests use (CARAVAN_CACHE), and
the `caravan` binary to compare against (CARAVAN_BIN, else target/release or debug)."""

import os
import pathlib
import subprocess

import pytest

import caravan

ROOT = pathlib.Path(__file__).resolve().parents[2]


def binary():
    if os.environ.get("CARAVAN_BIN"):
        return os.environ["CARAVAN_BIN"]
    for profile in ("release", "debug"):
        p = ROOT / "target" / profile / "caravan"
        if p.exists():
            return str(p)
    pytest.skip("no caravan binary: build it or set CARAVAN_BIN")


@pytest.fixture(scope="session")
def engine():
    return caravan.Engine()


@pytest.fixture(scope="session")
def cli():
    exe = binary()

    def run(*args):
        out = subprocess.run([exe, *args], capture_output=True, text=True, env=os.environ)
        return out.returncode, out.stdout, out.stderr

    return run
