"""Rich text that cannot carry a script: an allow-list applied on every save.

nh3 (the Rust ``ammonia`` sanitiser) parses the HTML as a browser would and
keeps only the tags and attributes listed here. Everything else goes: scripts
and styles with their content, event handlers, ``style`` and ``class``
attributes, ``javascript:`` and ``data:`` links, comments (Word hides its
``<xml>`` and conditional blocks in them), and the ``<o:p>``, ``<span>`` and
``<font>`` wrappers pasted Word text comes in (their text stays). Pictures may
only come from the portal's own renditions, so a page cannot load anything
from outside.
"""

import re
from html.parser import HTMLParser

import nh3
from django.conf import settings

TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "sub", "sup",
    "blockquote", "ul", "ol", "li", "a", "hr",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
    "figure", "figcaption", "img",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Dropped with everything inside them, not just unwrapped.
DROP_WITH_CONTENT = {"script", "style", "template", "noscript", "iframe", "object", "title"}
# A picture whose source was refused (nh3's output is normalised, so a pattern is enough).
_IMG_WITHOUT_SRC = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")


def _own_picture(src: str) -> bool:
    prefix = settings.MEDIA_URL.rstrip("/") + "/pictures/"
    return src.startswith(prefix) and ".." not in src and "//" not in src[1:]


def _filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return value if _own_picture(value) else None
    if attribute in ("width", "height", "colspan", "rowspan", "start"):
        return value if value.isdigit() and len(value) <= 4 else None
    return value


def clean_html(html: str) -> str:
    """The allowed part of ``html``, safe to show as is."""
    cleaned = nh3.clean(
        html or "",
        tags=TAGS,
        clean_content_tags=DROP_WITH_CONTENT,
        attributes=ATTRIBUTES,
        attribute_filter=_filter,
        url_schemes=URL_SCHEMES,
        strip_comments=True,
        link_rel="noopener noreferrer",
    )
    return _IMG_WITHOUT_SRC.sub("", cleaned).strip()


class _Pictures(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[dict] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.found.append(dict(attrs))


def pictures_in(html: str) -> list[dict]:
    """The attributes of every ``<img>`` in (cleaned) HTML."""
    parser = _Pictures()
    parser.feed(html or "")
    return parser.found


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)

    def handle_endtag(self, tag):
        if tag in ("p", "li", "h2", "h3", "h4", "tr", "blockquote", "figcaption"):
            self.parts.append("\n")


def plain_text(html: str) -> str:
    """The text of (cleaned) HTML, for search and feeds."""
    parser = _Text()
    parser.feed(html or "")
    return "".join(parser.parts).strip()
