"""Carrying an amendment over to the paragraph's current text with diff-match-patch."""

from diff_match_patch import diff_match_patch


def _strict_dmp() -> diff_match_patch:
    """Patches apply only where their context is found verbatim (anywhere in the paragraph).

    diff-match-patch's default fuzzy matching would happily splice a change into text that
    someone else rewrote meanwhile; here an overlapping change is a conflict instead.
    """
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 1.0
    dmp.Match_Distance = 10**9  # position does not matter ...
    dmp.Match_Threshold = 1e-4  # ... but every character of the context does
    dmp.Patch_DeleteThreshold = 0.0
    return dmp


def rebase_text(base: str, proposed: str, current: str) -> str | None:
    """The proposed change re-applied to `current`, or None when a hunk does not apply."""
    if current == base:
        return proposed
    dmp = _strict_dmp()
    patches = dmp.patch_make(base, proposed)
    if not patches:
        return current
    result, applied = dmp.patch_apply(patches, current)
    return result if all(applied) else None
