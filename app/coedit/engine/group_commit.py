"""Group commit: edit-carrying syncs of one channel that arrive close together share one store.

The first sync to arrive leads: it waits a few milliseconds (and for the channel lock, while
the previous group is being stored) so that others can join, then carries every edit of the
group onto the text in arrival order and stores them as consecutive revs in one transaction.
The others wait for their answer, which exists only once that transaction is committed.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from app.coedit.engine.state import ClientState, ReceivedEdits, SyncResult

GROUP_WINDOW = 0.002  # seconds the leader of a group waits for more syncs to join it


@dataclass
class Submission:
    """One client's sync waiting in a group; `result` or `error` is set when the group is done."""

    state: ClientState
    received: ReceivedEdits
    author: object
    rev_hint: int | None
    done: threading.Event = field(default_factory=threading.Event, repr=False)
    result: SyncResult | None = None
    error: BaseException | None = None


class GroupCommit:
    """The group of syncs one channel is currently collecting."""

    def __init__(self, channel_lock, window: float = GROUP_WINDOW):
        self.channel_lock = channel_lock
        self.window = window
        self._lock = threading.Lock()
        self._open: list[Submission] | None = None

    def submit(self, submission: Submission, commit) -> SyncResult:
        """Join the open group (or open one and lead it); `commit(group)` answers a whole group.

        `commit` sets each submission's result or error; whatever it raises becomes the error
        of every submission it left unanswered, so that no waiter is left hanging.
        """
        with self._lock:
            leader = self._open is None
            if leader:
                self._open = []
            group = self._open
            group.append(submission)
        if leader:
            if self.window > 0:
                time.sleep(self.window)
            try:
                with self.channel_lock:
                    with self._lock:
                        self._open = None  # later syncs form the next group
                    commit(group)
            except BaseException as error:
                for waiting in group:
                    if waiting.result is None and waiting.error is None:
                        waiting.error = error
            finally:
                for waiting in group:
                    waiting.done.set()
        else:
            submission.done.wait()
        if submission.error is not None:
            raise submission.error
        return submission.result
