"""Clients whose base rev has left the rev history: their typing lands whole, nobody's is lost.

Under load a client's sync can take long enough for more revs to be stored than the history
keeps since its base. Its edits must then still be carried exactly onto the stored text: a
diff of its base to the stored text may fold whole unchanged paragraphs (its own among them)
into one replacement, and typing rebased over such a replacement is moved out of place and
split apart from the characters around it that the diff took as unchanged.
"""

import contextlib
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.coedit.engine import MemoryStore, SyncEngine, SyncError
from app.coedit.engine import channel as channel_module
from app.coedit.engine import history as history_module
from tests.support.coedit_client import SyncClient

CHANNEL = "doc/en"
TOKEN = re.compile(r"~\d+\.\d+~ ")


@contextlib.contextmanager
def short_history(size: int):
    """Keep only `size` steps between stored revs (the cache the engine composes from)."""
    with pytest.MonkeyPatch.context() as patch:
        for module in (history_module, channel_module):
            if hasattr(module, "STEP_CACHE_SIZE"):
                patch.setattr(module, "STEP_CACHE_SIZE", size)
        yield


class Editors:
    """Editors of one channel, one paragraph each, whose syncs travel in three stages:
    sent (the request is made), served (the server answers), delivered (the client applies it).
    """

    def __init__(self, count: int, store=None):
        paragraphs = [f"P{i}: alpha ~{i}.0~ beta gamma." for i in range(count)]
        self.store = store or MemoryStore({CHANNEL: "\n\n".join(paragraphs)})
        self.engine = SyncEngine(self.store, diff_timeout=0.2)
        self.clients = [SyncClient("doc", "en", push=False) for _ in range(count)]
        self.flight: list = [None] * count  # [payload, answer or None] of a sync in flight
        self.typed: list[str] = []
        self.counter = 0
        for i, client in enumerate(self.clients):
            joined = self.engine.join(CHANNEL, user=i, mode="edit")
            client.on_join(
                {
                    "ok": True,
                    "client_id": joined.client_id,
                    "text": joined.text,
                    "rev": joined.rev,
                    "n": joined.n,
                    "m": joined.m,
                }
            )

    def type(self, i: int, where: float) -> str:
        """Editor i types a new token at a word boundary of its own paragraph."""
        client = self.clients[i]
        start = client.text.index(f"P{i}: ")
        end = client.text.find("\n\n", start)
        end = len(client.text) if end < 0 else end
        spots = [start + m.end() for m in re.finditer(" ", client.text[start:end])]
        pos = spots[min(int(where * len(spots)), len(spots) - 1)]
        self.counter += 1
        token = f"~{i}.{self.counter}~ "
        client.edit(client.text[:pos] + token + client.text[pos:])
        self.typed.append(token)
        return token

    def send(self, i: int) -> None:
        if self.flight[i] is None:
            self.flight[i] = [self.clients[i].sync_payload(), None]

    def serve(self, i: int) -> None:
        flight = self.flight[i]
        if flight is None or flight[1] is not None:
            return
        payload = flight[0]
        try:
            result = self.engine.sync(
                self.clients[i].client_id, CHANNEL, payload["m"], payload["edits"], author=i
            )
        except SyncError as error:  # pragma: no cover - a failure of the test
            raise AssertionError(f"{error.code}: {error.message}") from error
        flight[1] = {"ok": True, "n": result.n, "edits": result.edits, "rev": result.rev}

    def deliver(self, i: int) -> None:
        flight = self.flight[i]
        if flight is None or flight[1] is None:
            return
        self.flight[i] = None
        assert self.clients[i].on_sync(flight[1]), "no desync is expected here"

    def sync(self, i: int) -> None:
        self.send(i)
        self.serve(i)
        self.deliver(i)

    def quiet(self) -> str:
        """Every sync in flight completes, then everyone syncs until nothing moves."""
        for i in range(len(self.clients)):
            self.serve(i)
            self.deliver(i)
        for _ in range(6):
            for i in range(len(self.clients)):
                self.sync(i)
            text = self.store.load(CHANNEL)[0]
            if all(c.text == c.shadow == text and not c.outbox for c in self.clients):
                return text
        raise AssertionError("no convergence")

    def check(self) -> str:
        text = self.quiet()
        missing = [token for token in self.typed if token not in text]
        assert not missing, (missing, text)
        for token in self.typed:
            assert text.count(token) == 1, (token, text)
        # every token is in its typist's paragraph
        for i in range(len(self.clients)):
            start = text.index(f"P{i}: ")
            end = text.find("\n\n", start)
            paragraph = text[start : len(text) if end < 0 else end]
            assert [t for t in TOKEN.findall(text) if t.startswith(f"~{i}.")] == TOKEN.findall(
                paragraph
            ), (i, text)
        return text


def without_log(editors: Editors) -> Editors:
    """The store's edit log cannot give the steps (as when it lacks them)."""
    editors.store.deltas = lambda channel, after, upto: []
    return editors


@pytest.mark.parametrize("log", [True, False])
def test_a_lagging_editor_keeps_its_typing_whole_in_its_own_paragraph(log):
    """The editor of P1 types next to a token of its own ("~1.0~ "): its client's diff shares the
    "~1." with the existing token. Meanwhile more revs than the history keeps are stored by the
    editors of P0 and P2, whose insertions around P1 outweigh it; a diff of P1's editor's base
    to the stored text, semantically cleaned, replaces P1 as a whole."""
    with short_history(4):
        editors = Editors(3) if log else without_log(Editors(3))
        token = editors.type(1, 0.3)
        editors.send(1)  # in flight for a long time
        for _ in range(8):
            for i in (0, 2):
                editors.type(i, 0.0)
                editors.type(i, 1.0)
                editors.sync(i)
        editors.serve(1)
        editors.deliver(1)
        text = editors.check()
        assert token in text.split("\n\n")[1]
        stats = editors.engine.stats
        assert (stats["bases_from_log"], stats["diffed_bases"]) == ((1, 0) if log else (0, 1))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.randoms(use_true_random=False),
    st.integers(3, 8),
    st.integers(1, 6),
    st.integers(60, 250),
    st.booleans(),
)
def test_every_token_survives_lagging_editors(rnd, count, history_size, steps, log):
    """Editors typing tokens, some of them answered rarely, syncs in flight for arbitrary
    times, a history of a few revs, with or without the edit log: after everyone syncs until
    quiet, every token is stored once, in its typist's paragraph, and every client's text is
    the stored text."""
    with short_history(history_size):
        editors = Editors(count) if log else without_log(Editors(count))
        lagging = set(rnd.sample(range(count), rnd.randint(1, count // 2)))
        for _ in range(steps):
            i = rnd.randrange(count)
            roll = rnd.random()
            slow = i in lagging and rnd.random() < 0.8
            if roll < 0.4:
                editors.type(i, rnd.random())
            elif roll < 0.6:
                editors.send(i)
            elif roll < 0.8:
                if not slow:
                    editors.serve(i)
            elif not slow:
                editors.deliver(i)
        editors.check()
