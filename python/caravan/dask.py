"""Distributed sweeps on Dask: a matrix or a lane sweep split into tasks, one per block of
origins (or lanes) × profile × scenario, on any Dask cluster.

Each worker process loads the engine once (:class:`EnginePlugin`, registered by the
functions here): the network is memory-mapped from the worker's cache, never pickled.
Results equal the single-process ones; ``profile`` and ``scenario`` columns name each
row's run (``None`` is the baseline scenario).
"""

import os

import pandas as pd

import caravan

try:  # distributed is what runs the tasks; dask alone cannot hold per-worker state
    from distributed import WorkerPlugin, get_worker
except ImportError as e:  # pragma: no cover
    raise ImportError("caravan.dask needs `pip install caravan[dask]`") from e

import dask
import dask.dataframe as dd

# Text as Arrow strings: a block of ten million cells as Python str objects would take
# gigabytes per worker (measured: 6.5 GB peak at 1,000 x 10,000 blocks).
_TEXT = pd.StringDtype("pyarrow")
_COLUMNS = {
    "profile": _TEXT,
    "scenario": _TEXT,
    "origin": _TEXT,
    "destination": _TEXT,
    "distance_km": "float64",
    "duration_h": "float64",
    "cost_usd": "float64",
    "co2_kg": "float64",
    "reason": _TEXT,
}

# This process's engine when a task runs outside a worker (a local scheduler).
_local = None
# Tasks this process has run, for tests and diagnostics.
_tasks = 0


class EnginePlugin(WorkerPlugin):
    """Loads one :class:`caravan.Engine` per worker process, at worker start."""

    name = "caravan-engine"

    def __init__(self, data=None, cache=None):
        self.data = data
        self.cache = cache

    def setup(self, worker):
        # Registering again (each sweep registers) keeps a worker's engine for the same
        # data and cache.
        key = (self.data, self.cache)
        if getattr(worker, "caravan_engine_key", None) != key:
            worker.caravan_engine = caravan.Engine(self.data, self.cache)
            worker.caravan_engine_key = key


def _engine():
    global _local
    try:
        return get_worker().caravan_engine
    except (ValueError, AttributeError):
        if _local is None:
            _local = caravan.Engine()
        return _local


def worker_state():
    """(pid, engines loaded, tasks run) of the calling process: ``client.run(worker_state)``."""
    return os.getpid(), caravan._loaded, _tasks


def _options(profile, scenario):
    options = dict(profile or {})
    if scenario is not None:
        options["scenario"] = list(options.get("scenario", [])) + [scenario]
    return options


def _matrix_block(origins, destinations, profile, name, scenario):
    global _tasks
    _tasks += 1
    import pyarrow as pa

    table = _engine().matrix(origins, destinations, **_options(profile, scenario))
    df = table.to_pandas(types_mapper={pa.string(): _TEXT}.get)
    df.insert(0, "scenario", scenario)
    df.insert(0, "profile", name)
    return df.astype(_COLUMNS)


def _names(profiles):
    if profiles is None:
        return [(None, None)]
    out = []
    for i, p in enumerate(profiles):
        p = dict(p or {})
        out.append((p.pop("name", str(i)), p))
    return out


def _register(client, data, cache):
    client.register_plugin(EnginePlugin(data, cache))


def matrix(client, origins, destinations, profiles=None, scenarios=None, block=1000,
           data=None, cache=None):
    """Every origin to every destination under each profile (a list of option dicts, each
    with an optional ``name``) and each scenario (``None``: the baseline), as a Dask
    DataFrame with one partition per block of ``block`` origins × profile × scenario."""
    _register(client, data, cache)
    origins, destinations = list(origins), list(destinations)
    parts = []
    for name, profile in _names(profiles):
        for scenario in scenarios if scenarios is not None else [None]:
            for a in range(0, len(origins), block):
                parts.append(dask.delayed(_matrix_block)(
                    origins[a:a + block], destinations, profile, name, scenario))
    meta = pd.DataFrame({c: pd.Series(dtype=t) for c, t in _COLUMNS.items()})
    return dd.from_delayed(parts, meta=meta)


def _sweep_block(lanes, profile, name, scenario):
    global _tasks
    _tasks += 1
    e = _engine()
    rows = []
    for origin, destination in lanes:
        row = {"profile": name, "scenario": scenario, "origin": origin,
               "destination": destination, "distance_km": None, "duration_h": None,
               "cost_usd": None, "co2_kg": None, "reason": None}
        try:
            t = e.route(origin, destination, **_options(profile, scenario))["routes"][0]["totals"]
            for k in ("distance_km", "duration_h", "cost_usd", "co2_kg"):
                row[k] = t[k]
        except caravan.NoRouteError as err:
            row["reason"] = str(err)
        rows.append(row)
    return pd.DataFrame(rows, columns=list(_COLUMNS)).astype(_COLUMNS)


def sweep(client, od, profiles=None, scenarios=None, block=200, data=None, cache=None):
    """Each lane of ``od`` (``(from, to)`` pairs) routed under each profile and scenario,
    as a Dask DataFrame, one partition per block of lanes × profile × scenario."""
    _register(client, data, cache)
    od = [tuple(x[:2]) for x in od]
    parts = []
    for name, profile in _names(profiles):
        for scenario in scenarios if scenarios is not None else [None]:
            for a in range(0, len(od), block):
                parts.append(dask.delayed(_sweep_block)(od[a:a + block], profile, name, scenario))
    meta = pd.DataFrame({c: pd.Series(dtype=t) for c, t in _COLUMNS.items()})
    return dd.from_delayed(parts, meta=meta)
