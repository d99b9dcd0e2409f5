"""Threading of list mail: Message-IDs, subjects, and the quoted text and signatures of replies.

Mail clients thread by Message-ID, In-Reply-To and References (RFC 5322 section 3.6.4); the
archive threads the same way, so a post keeps one identity whether it was written on the web
or by mail. Folding is done at display time: the stored text is always the full message.
"""

import re
from dataclasses import dataclass

# One msg-id: "<" id-left "@" id-right ">"; lenient about what is inside, strict about length.
_MSG_ID = re.compile(r"<([^<>\s]{1,250})>")
# "Re:", "AW:", "Fwd:", "[slug]" prefixes that clients and lists stack in front of a subject.
_SUBJECT_PREFIX = re.compile(
    r"^\s*(?:(?:re|aw|sv|vs|fw|fwd|tr|wg)\s*(?:\[\d+\])?\s*:|\[[^\]]{1,80}\])\s*", re.I
)
# The line a client puts above the quoted message: "On <date>, <name> wrote:" and kin.
_ATTRIBUTION = re.compile(
    r"^\s*(?:on\b.{0,300}\bwrote|le\b.{0,300}\ba écrit|am\b.{0,300}\bschrieb|el\b.{0,300}\bescribió"
    r"|-{2,}\s*original message\s*-{2,}).{0,20}$",
    re.I,
)
SIGNATURE_SEPARATOR = "-- "


def message_ids(value: str | None) -> list[str]:
    """The msg-ids in a header value (In-Reply-To, References), in order, with their brackets."""
    if not value:
        return []
    return [f"<{found}>" for found in _MSG_ID.findall(str(value))][:100]


def clean_subject(subject: str | None) -> str:
    """The subject without reply, forward and list prefixes, on one line."""
    text = " ".join(str(subject or "").split())
    while True:
        stripped = _SUBJECT_PREFIX.sub("", text, count=1)
        if stripped == text:
            return text
        text = stripped


def list_subject(slug: str, title: str, *, is_reply: bool) -> str:
    """The subject of a list copy: "[slug] title", with "Re: " for a reply."""
    return f"{'Re: ' if is_reply else ''}[{slug}] {clean_subject(title) or title}"


@dataclass
class Part:
    """A run of lines of a mailed post: the author's own words, or a fold (quote, signature)."""

    kind: str  # "text", "quote" or "signature"
    text: str


def _is_quote(line: str) -> bool:
    return line.lstrip().startswith(">")


def fold_parts(text: str) -> list[Part]:
    """Split a mailed post into its own text and the quoted blocks and signature to fold away.

    A quoted block takes with it the attribution line just above it ("On ..., X wrote:"); the
    signature is everything after a line that is exactly "-- " (RFC 3676 section 4.3) that
    holds no more of the author's words than a signature would.
    """
    lines = (text or "").replace("\r\n", "\n").split("\n")
    signature: list[str] = []
    for index, line in enumerate(lines):
        if line.rstrip("\n") in (SIGNATURE_SEPARATOR, "--") and len(lines) - index <= 15:
            rest = lines[index + 1 :]
            if not any(_is_quote(other) for other in rest):
                signature, lines = lines[index:], lines[:index]
                break
    parts: list[Part] = []

    def add(kind: str, line: str) -> None:
        if parts and parts[-1].kind == kind:
            parts[-1].text += "\n" + line
        else:
            parts.append(Part(kind, line))

    for index, line in enumerate(lines):
        add("quote" if _is_quote(line) or _leads_into_quote(lines, index, parts) else "text", line)
    if signature:
        parts.append(Part("signature", "\n".join(signature)))
    return [part for part in parts if part.text.strip()]


def _leads_into_quote(lines: list[str], index: int, parts: list[Part]) -> bool:
    """An attribution line, or a blank line inside a quote, just above more quoted lines."""
    line = lines[index]
    joins = bool(_ATTRIBUTION.match(line)) or (
        not line.strip() and bool(parts) and parts[-1].kind == "quote"
    )
    return joins and _next_is_quote(lines, index)


def _next_is_quote(lines: list[str], index: int) -> bool:
    for line in lines[index + 1 :]:
        if line.strip():
            return _is_quote(line)
    return False


def unquote(text: str) -> str:
    """A quoted block without its "> " markers, to render as what it quotes."""
    out = []
    for line in text.split("\n"):
        stripped = line.lstrip()
        if stripped.startswith(">"):
            stripped = stripped[1:]
            out.append(stripped[1:] if stripped.startswith(" ") else stripped)
        else:
            out.append(line)
    return "\n".join(out)
