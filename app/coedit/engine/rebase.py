"""Exact operations on diffs, without diffing: invert, compose and rebase.

A diff is diff-match-patch's list of (op, text) from one text to another. These operations
map positions deterministically, so the server and every client end at the same text.
"""

from __future__ import annotations

from diff_match_patch import diff_match_patch

EQUAL, INSERT, DELETE = (
    diff_match_patch.DIFF_EQUAL,
    diff_match_patch.DIFF_INSERT,
    diff_match_patch.DIFF_DELETE,
)


def ends(diffs: list) -> tuple[str, str]:
    """The text a diff starts from and the text it ends at."""
    return (
        "".join(d for op, d in diffs if op != INSERT),
        "".join(d for op, d in diffs if op != DELETE),
    )


def invert(diffs: list) -> list:
    """The diff that undoes `diffs` (text2 -> text1)."""
    return [(-op, data) for op, data in diffs]


def compose(first: list, second: list) -> list:
    """One diff doing `first` (t0 -> t1) then `second` (t1 -> t2): t0 -> t2, without diffing.

    Exact by construction; the caller merges it (diff_cleanupMerge) and may check its ends.
    Raises ValueError when `second` does not start from `first`'s result.
    """
    out: list = []
    ops = iter(first)
    a_op, a_data = 0, ""
    for b_op, b_data in second:
        if b_op == INSERT:
            out.append((b_op, b_data))
            continue
        need = len(b_data)
        while need:
            if not a_data:
                a_op, a_data = next(ops, (None, None))
                if a_op is None:
                    raise ValueError("the second diff is longer than the first one's result")
                if a_op == DELETE:
                    out.append((a_op, a_data))
                    a_data = ""
                continue
            take = min(need, len(a_data))
            piece = a_data if take == len(a_data) else a_data[:take]
            a_data = "" if take == len(a_data) else a_data[take:]
            need -= take
            if a_op == EQUAL:
                out.append((b_op, piece))  # kept, or deleted by the second diff
            elif b_op == EQUAL:
                out.append((INSERT, piece))  # inserted, kept
            # inserted by the first diff and deleted by the second: nothing
    if a_data:
        raise ValueError("the second diff is shorter than the first one's result")
    for a_op, a_data in ops:
        if a_op != DELETE:
            raise ValueError("the second diff is shorter than the first one's result")
        out.append((a_op, a_data))
    return out


def merged(diffs: list) -> list:
    """The same diff with neighbouring pieces of one op joined (nothing moved, unlike
    diff_cleanupMerge, which slides edits along equal text)."""
    out: list = []
    for op, data in diffs:
        _append(out, op, data)
    return out


def _append(out: list, op: int, data: str) -> None:
    """Add a piece to a diff, joined to the last one when it has the same op."""
    if not data:
        return
    if out and out[-1][0] == op:
        out[-1] = (op, out[-1][1] + data)
    else:
        out.append((op, data))


def rebase(mine: list, theirs: list, *, mine_earlier: bool = False) -> list:
    """Carry `mine` (base -> mine) over `theirs` (base -> theirs): a diff from theirs to both.

    Positions map deterministically, as diff-match-patch's diff_xIndex does: an insertion of
    mine at a point where theirs also inserted goes after theirs' when theirs is the earlier
    change (`mine_earlier=False`, the server carrying a client's edit over stored revs) and
    before it otherwise, so concurrent insertions never interleave. A character deleted by
    either side is gone once. The one place where text is lost is the exception the protocol
    allows: an insertion of the earlier side strictly inside a region the later side deletes
    (both neighbouring base characters deleted) goes with that region; an insertion of the
    later side inside a region the earlier side deleted survives where the region was.
    Exact: `rebase(a, b, mine_earlier=e)` and `rebase(b, a, mine_earlier=not e)` end at the
    same text. Raises ValueError when the two diffs do not start from the same base.
    """
    out: list = []
    mi = ti = 0
    m_op, m_data = mine[0] if mine else (None, "")
    t_op, t_data = theirs[0] if theirs else (None, "")
    m_prev_deleted = t_prev_deleted = False

    def emit(op, data):
        _append(out, op, data)

    def next_base_op(ops, index, op):
        """The op of the next base character of a diff (skipping insertions), or None."""
        if op is not None and op != INSERT:
            return op
        for later_op, later_data in ops[index + 1 :]:
            if later_op != INSERT and later_data:
                return later_op
        return None

    while m_op is not None or t_op is not None:
        if m_op is not None and not m_data:
            mi += 1
            m_op, m_data = mine[mi] if mi < len(mine) else (None, "")
            continue
        if t_op is not None and not t_data:
            ti += 1
            t_op, t_data = theirs[ti] if ti < len(theirs) else (None, "")
            continue
        if t_op == INSERT and not (m_op == INSERT and mine_earlier):
            # theirs' insertion is in their text: kept, unless mine (later) deletes around it
            spanned = not mine_earlier and m_prev_deleted and next_base_op(mine, mi, m_op) == DELETE
            emit(DELETE if spanned else EQUAL, t_data)
            t_data = ""
            continue
        if m_op == INSERT:
            # mine's insertion is new text, unless theirs (later) deleted around it
            spanned = mine_earlier and t_prev_deleted and next_base_op(theirs, ti, t_op) == DELETE
            if not spanned:
                emit(INSERT, m_data)
            m_data = ""
            continue
        if m_op is None or t_op is None:
            raise ValueError("the two diffs do not start from the same text")
        size = min(len(m_data), len(t_data))
        piece = m_data[:size]
        if piece != t_data[:size]:
            raise ValueError("the two diffs do not start from the same text")
        if t_op == EQUAL:
            emit(EQUAL if m_op == EQUAL else DELETE, piece)
        m_prev_deleted, t_prev_deleted = m_op == DELETE, t_op == DELETE
        m_data, t_data = m_data[size:], t_data[size:]
    return out
