"""HTML reader: block structure, headings, tables and page chrome."""

from __future__ import annotations

from referat_nlp import readers

PAGE = """<html><head><title>x</title><script>var a = 1;</script></head><body>
<nav>Forside</nav>
<h1>Økonomiudvalget - Referat</h1>
<p>Dato: 3. maj 2022</p>
<h2>1. Godkendelse af dagsorden</h2>
<div><h3>Beslutning</h3><span>Godkendt.<br><br>Afbud: Per Holm</span></div>
<p><strong>Indstilling</strong></p>
<p>Administrationen indstiller,
   at sagen godkendes.</p>
<table><tr><td>at</td><td>budgettet godkendes</td></tr></table>
</body></html>"""


def test_blocks_follow_the_page_structure() -> None:
    doc = readers.read_bytes(PAGE.encode(), "html")
    lines = [b.text for b in doc.blocks if b.text]
    assert lines == [
        "Økonomiudvalget - Referat",
        "Dato: 3. maj 2022",
        "1. Godkendelse af dagsorden",
        "Beslutning",
        "Godkendt.",
        "Afbud: Per Holm",
        "Indstilling",
        "Administrationen indstiller, at sagen godkendes.",
        "at\tbudgettet godkendes",
    ]


def test_headings_and_bold_paragraphs_are_marked() -> None:
    doc = readers.read_bytes(PAGE.encode(), "html")
    by_text = {b.text: b for b in doc.blocks}
    assert by_text["1. Godkendelse af dagsorden"].heading == 2
    assert by_text["Beslutning"].heading == 3
    assert by_text["Indstilling"].bold
    assert by_text["Godkendt."].heading is None


SITE = """<html><body>
<header><a href="/">Egedal Kommune</a><form><input name="q"></form></header>
<div role="navigation"><a href="/politik">Politik</a></div>
<main>
<article>
<header><h1>Referat - Byrådet</h1></header>
<h2>1. Meddelelser</h2>
<p>Ingen.</p>
<footer><p>Senest opdateret 4. marts 2025</p></footer>
</article>
</main>
<div role="contentinfo">Tlf. 72 59 00 00</div>
<footer><p>Egedal Kommune</p><p>Kontakt | Cookies</p></footer>
</body></html>"""


def test_site_header_footer_and_landmarks_are_skipped() -> None:
    """The site's banner and footer are not minutes; an article's own are."""
    doc = readers.read_bytes(SITE.encode(), "html")
    assert [b.text for b in doc.blocks if b.text] == [
        "Referat - Byrådet",
        "1. Meddelelser",
        "Ingen.",
        "Senest opdateret 4. marts 2025",
    ]


DIV_PAGE = """<html><body>
<div class="breadcrumb-bar"><a href="/">Forside</a> › Politik › Byrådet</div>
<div id="cookie-consent">Vi bruger cookies</div>
<div class="portal-header__menu"><a href="/borger">Borger</a></div>
<div class="agenda-item"><div class="agenda-item__header">Punkt 1 Meddelelser</div>
<div class="agenda-item__body">Ingen.</div></div>
<div class="menuplan">Menuplan for plejecentrene</div>
<div class="portal-footer">Odense Kommune · Flakhaven 2</div>
</body></html>"""


def test_landmarks_named_by_class_are_skipped() -> None:
    """Pages built of <div>s name their footer, breadcrumb, menu and cookie banner
    in a class or id; a word of the name counts ("agenda-item__header" and
    "menuplan" are content)."""
    doc = readers.read_bytes(DIV_PAGE.encode(), "html")
    assert [b.text for b in doc.blocks if b.text] == [
        "Punkt 1 Meddelelser",
        "Ingen.",
        "Menuplan for plejecentrene",
    ]


def test_a_definition_list_gives_label_value_lines() -> None:
    """<dt>Sagsnr.</dt><dd>25/04417</dd> is one labelled fact, as in text."""
    page = (
        "<html><body><dl><dt>Udvalg</dt><dd>Økonomiudvalget</dd>"
        "<dt>Sagsnr.:</dt><dd>25/04417</dd><dt>Bilag</dt></dl></body></html>"
    )
    doc = readers.read_bytes(page.encode(), "html")
    assert [b.text for b in doc.blocks if b.text] == [
        "Udvalg: Økonomiudvalget",
        "Sagsnr.: 25/04417",
        "Bilag",
    ]
