"""The load benchmark runs end to end: N=3 editors for a few seconds converge and report latency.

No timing is asserted (the benchmark is not part of the test suite's pass criteria); only that
it works: zero divergence, every typed token in the stored text, latency figures present.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

BENCH = Path(__file__).resolve().parents[2] / "bench" / "coedit_load.py"


def test_benchmark_runs_and_converges(tmp_path):
    out = tmp_path / "result.json"
    command = [
        sys.executable,
        str(BENCH),
        "--start-server",
        "--server",
        "gevent",  # the production server (gunicorn, one gevent worker)
        "-n",
        "3",
        "-m",
        "1",
        "--duration",
        "3",
        "--warmup",
        "1",
        "--quiet",
        "3",
        "--per-process",
        "2",
        "--json",
        str(out),
    ]
    subprocess.run(
        command, cwd=BENCH.parents[1], check=True, timeout=180, stdout=subprocess.DEVNULL
    )
    result = json.loads(out.read_text())
    assert result["clients"] == 4
    assert result["load_processes"] == 2
    assert result["tokens_measured"] > 0
    assert result["diverged_clients"] == 0
    assert result["tokens_missing_from_stored_text"] == 0
    assert result["tokens_not_seen_by_all"] == 0
    latency = result["latency_ms"]
    assert latency["p50"] is not None and latency["p95"] is not None and latency["p99"] is not None
    assert 0 <= latency["p50"] <= latency["p95"] <= latency["p99"]
    assert result["server_cpu_per_s"] is not None and result["server_peak_rss_mb"] > 0
