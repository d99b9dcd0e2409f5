"""Per channel: the diffs and deltas between stored revs (the rev-chain cache).

Remembering the diff of every stored rev from the previous one lets the engine compose
answers instead of diffing, and share one delta between all clients on the same rev.
"""

from __future__ import annotations

from collections import OrderedDict

from app.coedit.engine.rebase import compose

DELTA_CACHE_SIZE = 256
CHAIN_CACHE_SIZE = 32
STEP_CACHE_SIZE = 128  # diffs between consecutive stored revs kept for composing
# stored revs a client's base may be behind and its edits still be carried exactly, composed
# from the edit log (further back, over a diff of its base to the stored text)
LOG_REPLAY_LIMIT = 100_000


class RevHistory:
    """The diffs between consecutive stored revs, their compositions and the deltas sent."""

    def __init__(self):
        self.deltas: OrderedDict = OrderedDict()
        self.steps: OrderedDict = OrderedDict()  # rev -> diffs from the text at rev - 1
        self.chains: OrderedDict = OrderedDict()  # from rev -> (diffs to the text at rev, rev)

    def remember(self, key, delta: str) -> None:
        self.deltas[key] = delta
        if len(self.deltas) > DELTA_CACHE_SIZE:
            self.deltas.popitem(last=False)

    def remember_step(self, rev: int, diffs: list) -> None:
        self.steps[rev] = diffs
        while len(self.steps) > STEP_CACHE_SIZE:
            self.steps.popitem(last=False)

    def chain(self, from_rev: int, to_rev: int) -> list | None:
        """The diff from the text at from_rev to the text at to_rev, composed from known steps.

        Composed chains are kept a while: clients based on the same rev extend the same chain.
        """
        if to_rev - from_rev > STEP_CACHE_SIZE or from_rev >= to_rev:
            return None
        diffs, start = self.chains.get(from_rev, (None, from_rev))
        if start > to_rev:
            diffs, start = None, from_rev
        for rev in range(start + 1, to_rev + 1):
            step = self.steps.get(rev)
            if step is None:
                return None
            diffs = step if diffs is None else compose(diffs, step)
        self.chains[from_rev] = (diffs, to_rev)
        self.chains.move_to_end(from_rev)
        while len(self.chains) > CHAIN_CACHE_SIZE:
            self.chains.popitem(last=False)
        return diffs

    def forget_after(self, rev: int) -> None:
        """Forget everything about revs after `rev` (changes that were not stored after all)."""
        for key in [r for r in self.steps if r > rev]:
            del self.steps[key]
        for key in [k for k in self.deltas if k[1] > rev]:
            del self.deltas[key]
        self.chains.clear()
