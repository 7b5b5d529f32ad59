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
