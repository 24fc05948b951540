"""The public pages pass the checks government sites are audited for: language, a skip link to the main content,
landmarks, a label for every control, table captions and header scopes, one h1, visible keyboard focus, text
contrast of at least 4.5:1 (WCAG 2.1 AA) for the palette the pages use, and a viewport for phones."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client

from tests.portal.conftest import publish_draft

CSS = Path(__file__).resolve().parents[2] / "src/kaifaqu/portal/static/portal/portal.css"
CONTROLS = {"input", "select", "textarea"}
FOCUSABLE = {"a", "button", "input", "select", "textarea"}


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.labels_for, self.controls, self.first_focusable = [], set(), [], None
        self.open_labels, self.tables, self.h1, self.html_lang, self.viewport = 0, [], 0, None, False
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "html":
            self.html_lang = a.get("lang")
        if tag == "meta" and a.get("name") == "viewport":
            self.viewport = "width=device-width" in (a.get("content") or "")
        if tag == "label":
            self.open_labels += 1
            if a.get("for"):
                self.labels_for.add(a["for"])
        if tag in CONTROLS and a.get("type") != "hidden":
            self.controls.append((tag, a, self.open_labels > 0))
        if tag in FOCUSABLE and self.first_focusable is None and a.get("type") != "hidden":
            self.first_focusable = (tag, a)
        if tag == "table":
            self.tables.append({"caption": False, "th": 0, "scoped": 0})
        if tag == "caption" and self.tables:
            self.tables[-1]["caption"] = True
        if tag == "th" and self.tables:
            self.tables[-1]["th"] += 1
            self.tables[-1]["scoped"] += bool(a.get("scope"))
        if tag == "h1":
            self.h1 += 1

    def handle_endtag(self, tag):
        if tag == "label":
            self.open_labels -= 1


def problems_of(html):
    p = Page()
    p.feed(html)
    found = []
    if p.html_lang != "zh-CN":
        found.append(f'<html lang="{p.html_lang}">')
    if not p.viewport:
        found.append("no viewport meta for phones")
    tag, attrs = p.first_focusable or (None, {})
    if tag != "a" or attrs.get("href") != "#main" or "main" not in p.ids:
        found.append(f"the first focusable element is not a skip link to #main: {tag} {attrs}")
    present = {t for t, _ in p.tags}
    for landmark in ("header", "nav", "main", "footer"):
        if landmark not in present:
            found.append(f"no <{landmark}> landmark")
    for tag, a, wrapped in p.controls:
        if not (wrapped or a.get("id") in p.labels_for or a.get("aria-label") or a.get("aria-labelledby")):
            found.append(f"<{tag} name={a.get('name')}> has no label")
    for t in p.tables:
        if not t["caption"] or t["th"] != t["scoped"]:
            found.append(f"a table without caption or with unscoped headers: {t}")
    if p.h1 != 1:
        found.append(f"{p.h1} h1 headings")
    for tag, a in p.tags:
        if tag == "img" and "alt" not in a:
            found.append("an image without alt")
        if tag == "nav" and not a.get("aria-label"):
            found.append("a nav without aria-label")
    return found


@pytest.mark.django_db
def test_every_public_page_has_labels_landmarks_and_a_skip_link(world, published, draft):
    publish_draft(world, draft)
    urls = ["/gongkai/", "/gongkai/?zone=demo", "/gongkai/powers/?zone=demo", "/gongkai/powers/?zone=demo&kind=bogus",
            "/gongkai/powers/?zone=demo&page_size=1&page=2", "/gongkai/powers/item/?zone=demo&code=KFQ-XK-001",
            "/gongkai/powers/item/?zone=demo&code=none", "/gongkai/catalogues/?zone=demo",
            "/gongkai/versions/?zone=demo", "/gongkai/versions/diff/?zone=demo&seq=2", "/gongkai/?zone=nowhere"]
    problems = []
    for url in urls:
        response = Client().get(url)
        problems += [f"{url}: {p}" for p in problems_of(response.content.decode())]
    assert not problems, "\n".join(problems)


def test_the_checker_finds_what_is_missing():
    bad = ('<html lang="en"><body><a href="/x">x</a><main></main><form><input name="q"></form>'
           "<table><tr><th>a</th></tr></table><h1>a</h1><h1>b</h1></body></html>")
    found = "\n".join(problems_of(bad))
    for expected in ('lang="en"', "skip link", "no <header>", "no <nav>", "no <footer>", "name=q> has no label",
                     "without caption", "2 h1", "viewport"):
        assert expected in found, expected


def _luminance(hex_colour):
    rgb = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a, b):
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_palette_contrast_and_visible_focus():
    css = CSS.read_text()
    palette = dict(re.findall(r"--portal-([a-z-]+):\s*(#[0-9a-fA-F]{6})", css))
    pairs = [("ink", "paper"), ("link", "paper"), ("muted", "paper"), ("error", "paper"), ("brand-ink", "brand")]
    low = {f"{fg} on {bg}": round(contrast(palette[fg], palette[bg]), 2) for fg, bg in pairs
           if contrast(palette[fg], palette[bg]) < 4.5}
    assert not low, low
    assert contrast("#777777", "#ffffff") < 4.5  # the check itself refuses a too-light grey
    assert re.search(r"a:focus-visible[^{]*\{[^}]*outline:\s*3px solid", css), "keyboard focus must be visible"
    assert re.search(r"\.skip-link:focus\s*\{[^}]*left:", css), "the skip link must appear when focused"
