"""The shared Atom builder: valid XML whatever users typed."""

from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from app.core.atom import ATOM, AtomFeed

NS = {"a": ATOM}
WHEN = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def test_feed_escapes_markup_and_strips_characters_xml_cannot_carry():
    feed = AtomFeed(
        feed_id="urn:x",
        title="Title <b>&</b>",
        updated=WHEN,
        self_url="http://x/feed",
        page_url="http://x/",
    )
    feed.add_entry(
        entry_id="urn:e1",
        title="Bell \x07 and NUL \x00 <script>",
        link="http://x/1",
        updated=WHEN,
        author="A <b>",
        content_html="<p>ok</p>",
    )
    root = ET.fromstring(feed.to_bytes())
    assert root.find("a:title", NS).text == "Title <b>&</b>"
    entry = root.find("a:entry", NS)
    assert entry.find("a:title", NS).text == "Bell  and NUL  <script>"
    assert entry.find("a:content", NS).get("type") == "html"
    assert entry.find("a:updated", NS).text == "2026-11-28T12:00:00Z"
    assert root.find("a:link[@rel='self']", NS).get("href") == "http://x/feed"


def test_optional_fields_are_left_out():
    feed = AtomFeed(feed_id="urn:x", title="t", updated=WHEN, self_url="s", page_url="p")
    feed.add_entry(entry_id="urn:e", title="t", link="l", updated=WHEN)
    entry = ET.fromstring(feed.to_bytes()).find("a:entry", NS)
    assert entry.find("a:author", NS) is None
    assert entry.find("a:published", NS) is None
    assert entry.find("a:summary", NS) is None
