"""A sweep on a local cluster of two worker processes equals the single-process result,
its tasks run in both workers, and each worker loads the engine once."""

import pandas as pd
import pytest

distributed = pytest.importorskip("distributed")

import caravan.dask as cdask  # noqa: E402

PLACES = ["Kashgar", "Almaty", "Tashkent", "Bishkek", "Xi'an", "Andijan"]
SCENARIOS = [None, "cku-railway"]
PROFILE = {"modes": ["rail", "road"]}


def test_matrix_sweep_on_two_workers_equals_one_process(engine):
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        got = cdask.matrix(client, PLACES, PLACES, profiles=[dict(PROFILE, name="rail")],
                           scenarios=SCENARIOS, block=2).compute()
        lanes = [("Kashgar", "Tashkent"), ("Xi'an", "Baku"), ("Kashgar", "Honolulu")]
        swept = cdask.sweep(client, lanes, profiles=[dict(PROFILE, name="rail")],
                            scenarios=SCENARIOS, block=2).compute()
        states = client.run(cdask.worker_state)
    pids = {pid for pid, _, tasks in states.values() if tasks > 0}
    assert len(pids) == 2, states
    assert all(loads == 1 for _, loads, _ in states.values()), states

    want = []
    for s in SCENARIOS:
        options = dict(PROFILE, **({"scenario": [s]} if s else {}))
        df = engine.matrix(PLACES, PLACES, **options).to_pandas()
        df.insert(0, "scenario", s)
        df.insert(0, "profile", "rail")
        want.append(df)
    want = pd.concat(want, ignore_index=True)
    key = ["scenario", "origin", "destination"]
    got = got.fillna({"scenario": "baseline"}).sort_values(key).reset_index(drop=True)
    want = want.fillna({"scenario": "baseline"}).sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want.astype(got.dtypes.to_dict()), check_like=True)
    # The scenario changes some cells: the CKU railway opens Kashgar–Andijan, and under the
    # balanced objective cheaper rail takes over some lanes from the road.
    base = got[got.scenario == "baseline"].cost_usd.to_numpy()
    cku = got[got.scenario == "cku-railway"].cost_usd.to_numpy()
    assert (cku < base).any()

    # A lane sweep: each lane's best route under each scenario, as `route` gives it.
    assert len(swept) == 6
    for row in swept.itertuples():
        scenario = row.scenario if pd.notna(row.scenario) else None
        options = dict(PROFILE, **({"scenario": [scenario]} if scenario else {}))
        if row.destination == "Honolulu":
            assert pd.isna(row.distance_km) and "no route" in row.reason
            continue
        t = engine.route(row.origin, row.destination, **options)["routes"][0]["totals"]
        assert (row.distance_km, row.duration_h, row.cost_usd, row.co2_kg) == (
            t["distance_km"], t["duration_h"], t["cost_usd"], t["co2_kg"])
