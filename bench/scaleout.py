"""Two app processes against one, as deployed: nginx + N gunicorn processes + Redis + PostgreSQL.

    .venv/bin/python bench/scaleout.py --processes 1 --processes 2 -n 20 -n 40 -n 60 \\
        --database postgresql://postgres@127.0.0.1:5432/agora_scaleout_bench

For each number of app processes and each number of editors: a fresh PostgreSQL database
(recreated, so give one used for nothing else), the topology of deploy/ on loopback
(deploy/local_topology.py: nginx from the same template, sticky route cookie, Redis queue), and
one run of bench/coedit_load.py against nginx (editors spread over the processes by nginx;
their edits reach the other process through Redis). Prints one table row per run with the
1-min load average before and after it; `--json` writes every run's figures.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "deploy"))

import coedit_load  # noqa: E402 - after the path is set
import local_topology  # noqa: E402

SLUG = "scaleout-bench"


def one_run(args, processes: int, editors: int) -> dict:
    database = coedit_load.postgres_fresh(args.database)
    tokens = coedit_load.prepare_database(
        database.replace("postgresql://", "postgresql+psycopg://", 1), editors, SLUG
    )
    with tempfile.TemporaryDirectory(prefix="scaleout-") as tmp:
        token_file = Path(tmp) / "tokens.txt"
        token_file.write_text("\n".join(tokens))
        figures = Path(tmp) / "figures.json"
        with local_topology.Topology(Path(tmp), database, processes=processes) as topology:
            load_before = os.getloadavg()[0]
            coedit_load.main(
                [
                    "--url",
                    topology.url,
                    "--doc",
                    SLUG,
                    "--tokens",
                    str(token_file),
                    "-n",
                    str(editors),
                    "--duration",
                    str(args.duration),
                    "--warmup",
                    "5",
                    "--quiet",
                    "10",
                    "--json",
                    str(figures),
                ]
            )
            load_after = os.getloadavg()[0]
        result = json.loads(figures.read_text())
    result.update(processes=processes, load_before=load_before, load_after=load_after)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--processes", type=int, action="append")
    parser.add_argument("-n", "--editors", type=int, action="append")
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument(
        "--database", default="postgresql://postgres@127.0.0.1:5432/agora_scaleout_bench"
    )
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    runs = []
    print(
        "| app processes | editors | p50 ms | p95 ms | p99 ms | not seen by all | diverged | load before / after |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for processes in args.processes or [1, 2]:
        for editors in args.editors or [20, 40]:
            result = one_run(args, processes, editors)
            runs.append(result)
            latency = result.get("latency_ms", {})
            print(
                f"| {processes} | {editors} | {latency.get('p50')} | {latency.get('p95')} "
                f"| {latency.get('p99')} | {result.get('tokens_not_seen_by_all')} "
                f"| {result.get('diverged_clients')} "
                f"| {result['load_before']:.1f} / {result['load_after']:.1f} |",
                flush=True,
            )
    if args.json:
        args.json.write_text(json.dumps(runs, indent=1))


if __name__ == "__main__":
    main()
