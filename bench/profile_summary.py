"""Where the server's time went: a py-spy raw (collapsed stacks) profile summarized.

    .venv/bin/python bench/profile_summary.py /tmp/push-100.spy [--top 15]

Prints the functions that were on the CPU themselves (self) and those that were anywhere on the
stack (inclusive), as shares of all samples; idle threads (waiting in select, locks, sleeps)
are counted apart, so the shares are of the samples where Python was busy.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter

IDLE = re.compile(r"\b(wait|select|poll|sleep|acquire|_wait_for_tstate_lock|accept|recv|read)\b")


def summarize(path: str, top: int) -> str:
    self_time, inclusive = Counter(), Counter()
    busy = idle = 0
    with open(path, encoding="utf-8", errors="replace") as lines:
        for line in lines:
            stack, _, count = line.rstrip().rpartition(" ")
            if not count.isdigit():
                continue
            n = int(count)
            frames = [f.split(" (")[0] for f in stack.split(";") if f]
            if not frames:
                continue
            if IDLE.search(frames[-1]):
                idle += n
                continue
            busy += n
            self_time[frames[-1]] += n
            for frame in set(frames):
                inclusive[frame] += n
    out = [f"samples: {busy} busy, {idle} idle (waiting)"]
    for title, counter in (("self", self_time), ("inclusive", inclusive)):
        out.append(f"-- {title}")
        for frame, n in counter.most_common(top):
            out.append(f"{100 * n / max(busy, 1):5.1f} %  {frame}")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("profile")
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    print(summarize(args.profile, args.top))


if __name__ == "__main__":
    main()
