"""Subjects, Message-IDs and the folding of quoted text and signatures."""

from hypothesis import given
from hypothesis import strategies as st

from app.mail.threading import clean_subject, fold_parts, list_subject, message_ids

REPLY = """Thanks, I agree with the change.

On Mon, 30 Nov 2026 at 10:00, Ana <ana@example.org> wrote:
> We support paragraph 3.
>
> Ana

One more point below the quote.

-- \nBen Example
Caucus A"""


def test_a_reply_folds_into_text_quote_text_signature():
    parts = fold_parts(REPLY)
    assert [p.kind for p in parts] == ["text", "quote", "text", "signature"]
    assert parts[1].text.startswith("On Mon, 30 Nov 2026") and parts[1].text.endswith("> Ana")
    assert parts[3].text == "-- \nBen Example\nCaucus A"


def test_a_dash_line_far_from_the_end_is_not_a_signature():
    text = "Intro\n-- \n" + "\n".join(f"line {n}" for n in range(30))
    assert [p.kind for p in fold_parts(text)] == ["text"]


def test_an_attribution_line_without_a_quote_stays_text():
    parts = fold_parts("On Monday she wrote: we agree.\nFine.")
    assert [p.kind for p in parts] == ["text"]


@given(st.lists(st.text(alphabet="ab >-\n", max_size=30), max_size=20))
def test_folding_keeps_every_line_in_order(chunks):
    text = "\n".join(chunks)
    parts = fold_parts(text)
    kept = [line for part in parts for line in part.text.split("\n") if line.strip()]
    assert kept == [line for line in text.split("\n") if line.strip()]


@given(st.text(max_size=80))
def test_clean_subject_is_idempotent_and_one_line(subject):
    once = clean_subject(subject)
    assert clean_subject(once) == once
    assert "\n" not in once and "\r" not in once


def test_subjects():
    assert clean_subject("Re: [caucus-a] RE: Fwd:  Paragraph\r\n 3") == "Paragraph 3"
    assert (
        list_subject("caucus-a", "Re: Paragraph 3", is_reply=True) == "Re: [caucus-a] Paragraph 3"
    )
    assert list_subject("caucus-a", "Paragraph 3", is_reply=False) == "[caucus-a] Paragraph 3"


def test_message_ids_in_headers():
    assert message_ids(" <a.1@x>\r\n\t<b@y> junk <no space@z> ") == ["<a.1@x>", "<b@y>"]
    assert message_ids(None) == [] and message_ids("") == []
