"""Sample drafts shared by the documents tests."""

FIRST_DRAFT = """# Equal footing in drafting

Governments, civil society, the private sector and international organizations draft together as equals.

- Each stakeholder group names its own representatives to the drafting sessions.
- Speaking time in every session is shared equally between the four groups.

## Transparency

Every version of the text is public and kept, with the reasons for each change.
"""

SECOND_DRAFT = """# Equal footing in drafting

Governments, civil society, the private sector and international organizations draft together as full equals in every session.

- Each stakeholder group names its own representatives to the drafting sessions.
- Speaking time in every session is shared equally between the four groups.
- Draft texts are published two weeks before each session.

## Transparency

Every version of the text is public and kept, with the reasons for each change.
"""
