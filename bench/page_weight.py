"""Page weight and load time on a slow link: Chromium throttled to 256 kbit/s, 300 ms RTT.

    .venv/bin/python bench/page_weight.py [--root CHECKOUT] [--runs 3] [--json out.json]

Builds a fresh SQLite database with the demo content (`flask db upgrade`, `flask demo load`)
plus a 500-paragraph document with 200 pending amendments, serves it as production does
(gunicorn, gevent, `gunicorn.conf.py`) on a free loopback port, and loads each page in
headless Chromium through Playwright with the DevTools protocol's network emulation:

* cold: the browser cache disabled (Network.setCacheDisabled), a first visit;
* warm: the same page again with the cache on (revalidation: 304s, immutable bundles).

Figures per page: DOMContentLoaded and load (ms, from navigation start), bytes on the wire
(Network.loadingFinished encodedDataLength, headers included) for the document alone and for
everything the page loaded, and the document's status and Content-Encoding. `--root` measures
another checkout with the same database content (e.g. the code before a change; its assets
must be built there).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KBIT = 1000 / 8  # bytes per second per kbit/s
SAMPLE_SLUG = "best-practice"
LARGE_SLUG = "bench-500"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def seed(paragraphs: int, amendments: int) -> None:
    """The large document, in the database of DATABASE_URL (run inside the measured checkout)."""
    from app import create_app
    from app.accounts.services import register_user
    from app.amendments.services import propose_amendment
    from app.bodies.queries import body_by_slug
    from app.documents.queries import version_paragraphs
    from app.documents.services import create_document
    from app.extensions import db

    app = create_app(overrides={"ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 1024})
    with app.app_context(), app.test_request_context():
        texts = ["# Benchmark declaration"]
        for n in range(1, paragraphs):
            texts.append(
                f"Paragraph {n}: stakeholders take part **as equals** in drafting, with "
                f"*every* version public and [the rules](https://example.org/rules/{n}) kept."
            )
        document = create_document(
            title="Benchmark declaration",
            markdown="\n\n".join(texts),
            language="en",
            owner=body_by_slug("drafting-team"),
            status="open",
            slug=LARGE_SLUG,
        )
        db.session.commit()
        groups = ("civil_society", "government", "private_sector", "international_organization")
        people = [
            register_user(
                email=f"bench{n}@example.org",
                name=f"Bench person {n}",
                password="bench-password-1",
                group=groups[n % len(groups)],
                country="KE",
                organization="Bench",
            )
            for n in range(20)
        ]
        db.session.commit()
        keys = [p.key for p in version_paragraphs(document.current_version)][1:]
        for n in range(amendments):
            propose_amendment(
                document,
                people[n % len(people)],
                kind="modify",
                paragraph=keys[n % len(keys)],
                text=f"Paragraph {n}: every stakeholder group takes part as an equal (v{n}).",
                rationale=f"Clearer wording, proposal {n}.",
            )
        db.session.commit()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the server exited")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer")


def prepare(root: Path, workdir: Path, paragraphs: int, amendments: int) -> dict:
    env = dict(
        os.environ,
        DATABASE_URL=f"sqlite:///{workdir}/bench.db",
        INSTANCE_PATH=str(workdir),
        SECRET_KEY="page-weight-bench",
        PYTHONPATH=str(root),
    )
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    for args in (["db", "upgrade"], ["demo", "load"]):
        subprocess.run([*flask, *args], cwd=root, env=env, check=True, capture_output=True)
    subprocess.run(
        [sys.executable, __file__, "--seed", "--paragraphs", str(paragraphs)]
        + ["--amendments", str(amendments)],
        cwd=root,
        env=env,
        check=True,
    )
    return env


def measure(url: str, runs: int) -> dict:
    from playwright.sync_api import sync_playwright

    results: dict[str, list[dict]] = {"cold": [], "warm": []}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            for _ in range(runs):
                context = browser.new_context()
                page = context.new_page()
                cdp = context.new_cdp_session(page)
                cdp.send("Network.enable")
                cdp.send(
                    "Network.emulateNetworkConditions",
                    {
                        "offline": False,
                        "latency": 300,
                        "downloadThroughput": 256 * KBIT,
                        "uploadThroughput": 256 * KBIT,
                    },
                )
                for mode in ("cold", "warm"):
                    cdp.send("Network.setCacheDisabled", {"cacheDisabled": mode == "cold"})
                    results[mode].append(_load(page, cdp, url))
                context.close()
        finally:
            browser.close()
    return {mode: _summary(rows) for mode, rows in results.items()}


def _load(page, cdp, url: str) -> dict:
    sizes: dict[str, int] = {}
    documents: dict[str, dict] = {}

    def finished(event):
        sizes[event["requestId"]] = event["encodedDataLength"]

    def response(event):
        if event.get("type") == "Document":
            headers = {k.lower(): v for k, v in event["response"]["headers"].items()}
            documents[event["requestId"]] = {
                "status": event["response"]["status"],
                "encoding": headers.get("content-encoding", "identity"),
            }

    def wire_status(event):  # a revalidated page shows 200 above, 304 here
        wire[event["requestId"]] = event.get("statusCode")

    wire: dict[str, int] = {}
    cdp.on("Network.loadingFinished", finished)
    cdp.on("Network.responseReceived", response)
    cdp.on("Network.responseReceivedExtraInfo", wire_status)
    page.goto(url, wait_until="load", timeout=180_000)
    page.wait_for_timeout(500)  # the last loadingFinished events
    timing = page.evaluate(
        "(() => { const n = performance.getEntriesByType('navigation')[0];"
        " return {dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd}; })()"
    )
    cdp.remove_listener("Network.loadingFinished", finished)
    cdp.remove_listener("Network.responseReceived", response)
    cdp.remove_listener("Network.responseReceivedExtraInfo", wire_status)
    doc_id, doc = next(iter(documents.items()))
    return {
        "dcl_ms": round(timing["dcl"]),
        "load_ms": round(timing["load"]),
        "document_bytes": sizes.get(doc_id, 0),
        "total_bytes": sum(sizes.values()),
        "requests": len(sizes),
        "status": wire.get(doc_id, doc["status"]),
        "encoding": doc["encoding"],
    }


def _summary(rows: list[dict]) -> dict:
    summary = {
        key: round(statistics.median(row[key] for row in rows))
        for key in ("dcl_ms", "load_ms", "document_bytes", "total_bytes", "requests")
    }
    summary["status"] = rows[-1]["status"]
    summary["encoding"] = rows[-1]["encoding"]
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--root", type=Path, default=ROOT, help="checkout to measure")
    parser.add_argument("--runs", type=int, default=3, help="medians of this many loads")
    parser.add_argument("--paragraphs", type=int, default=500)
    parser.add_argument("--amendments", type=int, default=200)
    parser.add_argument("--json", type=Path, help="write the figures here too")
    parser.add_argument("--seed", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed:
        seed(args.paragraphs, args.amendments)
        return

    root = args.root.resolve()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        env = prepare(root, Path(tmp), args.paragraphs, args.amendments)
        port = _free_port()
        env.update(HOST="127.0.0.1", PORT=str(port), LOG_LEVEL="warning")
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"], cwd=root, env=env
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait(f"{base}/api/openapi.json", server)
            figures = {
                "root": str(root),
                "load_average_before": [round(x, 2) for x in load_before],
                "pages": {
                    slug: measure(f"{base}/documents/{slug}", args.runs)
                    for slug in (SAMPLE_SLUG, LARGE_SLUG)
                },
                "load_average_after": [round(x, 2) for x in os.getloadavg()],
            }
        finally:
            server.terminate()
            server.wait(timeout=20)
    print(json.dumps(figures, indent=1))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n")


if __name__ == "__main__":
    main()
