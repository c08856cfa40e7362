"""The dask engine gives the same outputs as the local one, on a LocalCluster over loopback."""

import json
import sys
from pathlib import Path

import pytest

distributed = pytest.importorskip(
    "distributed", reason="dask.distributed is not installed: pip install 'cleanarticle[dask]'")

from cleanarticle.batch import MANIFEST, BatchOptions, run_batch  # noqa: E402
from cleanarticle.filters.whitespace import WhitespaceFilter  # noqa: E402
from cleanarticle.pipeline import Pipeline  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_batch import TemplateLines, _corpus, _dataset, _outputs  # noqa: E402


@pytest.fixture(scope="module")
def cluster():
    import cloudpickle
    import test_batch

    # the test filter lives in a test module the workers cannot import: send it by value
    cloudpickle.register_pickle_by_value(test_batch)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as c:
        yield c
    cloudpickle.unregister_pickle_by_value(test_batch)


def test_dask_engine_matches_local_engine(tmp_path, cluster):
    _corpus(tmp_path / "in", 9)
    _dataset(tmp_path / "in" / "d.jsonl.gz", 70, gz=True)
    (tmp_path / "in" / "bad.jsonl").write_text('{"text": "fine  one"}\nnot json\n')
    pipe = Pipeline([TemplateLines(), WhitespaceFilter()])
    local = run_batch([tmp_path / "in"], tmp_path / "local", pipe, BatchOptions(jobs=2, quiet=True))
    remote = run_batch([tmp_path / "in"], tmp_path / "dask", pipe,
                       BatchOptions(engine="dask", scheduler=cluster.scheduler_address, quiet=True))
    assert _outputs(tmp_path / "local") == _outputs(tmp_path / "dask")
    assert local.counts() == remote.counts() and remote.failed == 1 and remote.documents == 80
    manifest = json.loads((tmp_path / "dask" / MANIFEST).read_text())
    assert manifest["options"]["engine"] == "dask" and manifest["corpus"]["documents"] == 80
