"""Deltas on the wire (diff_toDelta / diff_fromDelta) in UTF-16 code units, and the differ.

Lengths count UTF-16 code units as in the JavaScript library, so text with astral characters
(emoji) syncs exactly between browsers and Python clients.
"""

from __future__ import annotations

import bisect
import logging
import threading
import time
import urllib.parse

from diff_match_patch import diff_match_patch

log = logging.getLogger(__name__)

_dmp = diff_match_patch()
_QUOTE_SAFE = "!~*'();/?:@&=+$,# "  # what JavaScript's encodeURI leaves alone (and the space)


class _Local(threading.local):
    fired = False


_local = _Local()


class Differ(diff_match_patch):
    """diff-match-patch with a deliberate Diff_Timeout and a count of the times it fired."""

    def __init__(self, timeout: float = 0.5):
        super().__init__()
        self.Diff_Timeout = timeout
        self.timeouts = 0

    def diff_bisect(self, text1, text2, deadline):
        diffs = super().diff_bisect(text1, text2, deadline)
        if deadline is not None and time.time() > deadline:
            _local.fired = True
        return diffs

    def match_main(self, text, pattern, loc):
        """Fuzzy match, but an exact occurrence near `loc` first (no bitap when one exists).

        Concurrent typing elsewhere only shifts a patch's context: finding it verbatim, nearest
        the expected place, gives bitap's answer for all but far-away duplicates, at C speed.
        """
        if not pattern or not text:
            return super().match_main(text, pattern, loc)
        loc = max(0, min(loc, len(text)))
        if text[loc : loc + len(pattern)] == pattern:
            return loc
        reach = max(len(pattern), int(self.Match_Distance * self.Match_Threshold / 2))
        after = text.find(pattern, loc, loc + reach + len(pattern))
        before = text.rfind(pattern, max(0, loc - reach), loc + len(pattern) - 1)
        found = [p for p in (after, before) if p >= 0]
        if found:
            return min(found, key=lambda p: abs(p - loc))
        return super().match_main(text, pattern, loc)

    def diff(self, text1: str, text2: str) -> list:
        _local.fired = False
        diffs = self.diff_main(text1, text2, True)
        if _local.fired:
            self.timeouts += 1
            log.warning(
                "diff timed out after %.2fs (%d/%d chars)",
                self.Diff_Timeout,
                len(text1),
                len(text2),
            )
        return diffs

    def change(self, text1: str, text2: str) -> list:
        """`diff`, for a change other edits are carried over (see `whole_change`)."""
        return whole_change(self.diff(text1, text2))

    def change_around(self, text1: str, text2: str, edits: list) -> list:
        """`change`, with every region it replaces as a whole diffed again, uncleaned, where
        `edits` (a diff from text1) changes something strictly inside it.

        Semantic cleanup replaces an unchanged paragraph as a whole when the insertions around
        it outweigh it; edits carried over that replacement would be moved to its start and
        split from the characters around them that their own diff took as unchanged.
        """
        diffs = self.change(text1, text2)
        points = _edit_points(edits)
        out: list = []
        pos = i = 0
        while i < len(diffs):
            if diffs[i][0] == diff_match_patch.DIFF_EQUAL:
                out.append(diffs[i])
                pos += len(diffs[i][1])
                i += 1
                continue
            j = i
            while j < len(diffs) and diffs[j][0] != diff_match_patch.DIFF_EQUAL:
                j += 1
            old = "".join(d for op, d in diffs[i:j] if op == diff_match_patch.DIFF_DELETE)
            new = "".join(d for op, d in diffs[i:j] if op == diff_match_patch.DIFF_INSERT)
            first = bisect.bisect_right(points, pos)
            if first < len(points) and points[first] < pos + len(old):
                out.extend(self.diff(old, new))
            else:
                out.extend(diffs[i:j])
            pos, i = pos + len(old), j
        return out


def _edit_points(diffs: list) -> list:
    """The offsets in a diff's first text where it changes something, in order: the point of
    each insertion, both ends of each deletion."""
    points, pos = [], 0
    for op, data in diffs:
        if op == diff_match_patch.DIFF_INSERT:
            points.append(pos)
        elif op == diff_match_patch.DIFF_DELETE:
            points.extend((pos, pos + len(data)))
            pos += len(data)
        else:
            pos += len(data)
    return points


def diff_main(text1: str, text2: str) -> list:
    return _dmp.diff_main(text1, text2, True)


def whole_change(diffs: list) -> list:
    """A diff of two texts standing for someone's change, made fit to carry other edits over.

    Diffing two texts may keep a character the other side deleted by matching it with the same
    character inside its insertion ("end." -> "end<0.1>" as +"<0" ="." +"1>"); an edit carried
    over that diff then lands inside the insertion. Semantic cleanup folds such coincidental
    equalities into the edit around them; the diff still goes between the same two texts.
    """
    _dmp.diff_cleanupSemantic(diffs)
    return diffs


def to_delta(diffs: list) -> str:
    """diff_toDelta: lengths in UTF-16 code units, inserts %-escaped as JavaScript's encodeURI does."""
    parts = []
    for op, data in diffs:
        if op == diff_match_patch.DIFF_INSERT:
            parts.append("+" + urllib.parse.quote(data.encode("utf-8"), _QUOTE_SAFE))
        elif data:
            units = len(data.encode("utf-16-le")) // 2
            parts.append(("=" if op == diff_match_patch.DIFF_EQUAL else "-") + str(units))
    return "\t".join(parts)


class BadDelta(ValueError):
    """A delta that is not well-formed (bad_request), as opposed to one that does not fit (desync)."""


class DeltaMismatch(ValueError):
    """A well-formed delta whose lengths do not fit the text it is applied to (stale shadow)."""


def from_delta(text: str, delta: str) -> tuple[list, str]:
    """Decode `delta` against `text`: the diffs (in code points) and the resulting text.

    Works in UTF-16 code units like the JavaScript library; a delta from a JavaScript diff that
    splits a surrogate pair still decodes, re-diffed on whole characters.
    """
    if not isinstance(delta, str):
        raise BadDelta("A delta is a string.")
    units = text.encode("utf-16-le")
    pointer = 0
    pieces: list[tuple[int, bytes]] = []
    for token in delta.split("\t"):
        if not token:
            continue
        op, param = token[0], token[1:]
        if op == "+":
            try:
                inserted = urllib.parse.unquote(param, errors="strict")
            except UnicodeDecodeError as error:
                raise BadDelta("An insertion is not valid %-encoded UTF-8.") from error
            pieces.append(
                (diff_match_patch.DIFF_INSERT, inserted.encode("utf-16-le", "surrogatepass"))
            )
        elif op in "-=":
            if not param.isdigit() or len(param) > 12:
                raise BadDelta(f"Invalid length {param[:20]!r} in a delta.")
            size = int(param) * 2
            if pointer + size > len(units):
                raise DeltaMismatch("The delta is longer than the text it applies to.")
            chunk = units[pointer : pointer + size]
            pointer += size
            pieces.append(
                (diff_match_patch.DIFF_EQUAL if op == "=" else diff_match_patch.DIFF_DELETE, chunk)
            )
        else:
            raise BadDelta(f"Invalid operation {op!r} in a delta.")
    if pointer != len(units):
        raise DeltaMismatch("The delta is shorter than the text it applies to.")
    new_units = b"".join(chunk for op, chunk in pieces if op != diff_match_patch.DIFF_DELETE)
    try:
        diffs = [(op, chunk.decode("utf-16-le")) for op, chunk in pieces]
        return diffs, "".join(data for op, data in diffs if op != diff_match_patch.DIFF_DELETE)
    except UnicodeDecodeError:
        pass
    try:
        new_text = new_units.decode("utf-16-le")
    except UnicodeDecodeError as error:
        raise BadDelta("The delta leaves half of a surrogate pair.") from error
    return diff_main(text, new_text), new_text
