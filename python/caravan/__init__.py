"""caravan: multimodal freight routing on an embedded world network, from Python.

A thin front over the Rust library the ``caravan`` command uses: the same answers, the
same JSON, the same messages. Options take the command line's names with underscores
(``modes=["rail", "road"]``, ``avoid_countries=["RU"]``, ``scenario=["cku"]``,
``optimize="cost"``, ``drivers=2``, ``cargo_value=500000``).

    >>> import caravan
    >>> e = caravan.Engine()
    >>> r = e.route("Kashgar", "Tashkent", modes=["rail", "road"])
    >>> r["routes"][0]["totals"]["duration_days"]
"""

import os
import tempfile

from . import _caravan
from ._caravan import DataError, Error, InputError, NoRouteError

__all__ = ["Engine", "Error", "InputError", "NoRouteError", "DataError"]

# How many engines this process has loaded (the Dask plugin's test counts them).
_loaded = 0


class Engine:
    """The embedded world network, loaded once per process.

    ``data`` defaults to ``$CARAVAN_DATA`` or the repository's ``data/``; ``cache`` to
    ``$CARAVAN_CACHE`` or the platform cache directory, shared with the CLI (the hierarchy
    is memory-mapped from it, so a second process loads in well under a second).
    """

    def __init__(self, data=None, cache=None):
        global _loaded
        self._engine = _caravan.Engine(
            None if data is None else os.fspath(data),
            None if cache is None else os.fspath(cache),
        )
        _loaded += 1

    def route(self, origin, destination, **options):
        """The best route (``alternatives=N`` for more), as ``caravan route --format json``."""
        return self._engine.route(origin, destination, **options)

    def route_gdf(self, origin, destination, **options):
        """The route's legs as a GeoPandas GeoDataFrame (EPSG:4326), one row per leg."""
        import geopandas

        fc = self._engine.route_geojson(origin, destination, **options)
        return geopandas.GeoDataFrame.from_features(fc["features"], crs="EPSG:4326")

    def matrix(self, origins, destinations, **options):
        """Every origin to every destination, every figure, as a ``pyarrow.Table``
        (columns as ``caravan matrix`` writes them; ``.to_pandas()`` for a DataFrame)."""
        import pyarrow.parquet as pq

        with tempfile.TemporaryDirectory(prefix="caravan-") as d:
            path = os.path.join(d, "matrix.parquet")
            self._engine.matrix_file(list(origins), list(destinations), path, **options)
            return pq.read_table(path, memory_map=False)

    def compare(self, origin, destination, **options):
        """Baseline against the ``scenario`` options, as ``caravan compare --format json``."""
        return self._engine.compare(origin, destination, **options)

    def criticality(self, lanes, top=None, **options):
        """Chokepoints ranked by what closing each alone costs ``lanes``, a list of
        ``(from, to)`` or ``(from, to, weight)``."""
        return self._engine.criticality([tuple(l) for l in lanes], top, **options)

    def places(self, query, n=10):
        """Places whose names or codes match ``query``, best first."""
        return self._engine.places(query, n)

    def scenarios(self):
        """The shipped scenarios (a list): what each opens, closes and changes, as
        ``caravan scenarios --format json`` lists them."""
        return self._engine.scenarios()["scenarios"]

    def groups(self, name=None):
        """Country groups (SCO, EU, EAEU, ...) or one of them, with their shares."""
        return self._engine.groups(name)

    def __repr__(self):
        return repr(self._engine)
