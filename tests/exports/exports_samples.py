"""Sample texts and helpers shared by the export and import tests."""

import io

from docx import Document as WordDocument

RICH_PARAGRAPHS = [
    "# Best practice on participation",
    "All stakeholder groups take part **as equals**, with *no* group first.",
    "See [the charter](https://example.org/charter) for the rules.",
    "- Every version is public.",
    "3. Amendments are weighed with `equal weight`.",
    "## Implementation",
    "Coordinators decide on amendments in the open.",
]


def open_docx(data: bytes) -> WordDocument:
    return WordDocument(io.BytesIO(data))
