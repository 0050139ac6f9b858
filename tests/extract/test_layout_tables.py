"""Layout tables become blocks before extraction; data tables stay tables.

The pages are small and written for these tests (a fictional town paper laid out as one table,
the way pages were built before CSS layout).
"""

from __future__ import annotations

import lxml.html

from storyline.article import Article
from storyline.extract.body import ExtractStage
from storyline.extract.layout_tables import is_layout_table, unwrap_layout_tables

STORY = (
    "<p>The library's spring book sale moves to the Armory this year after a roof leak closed the "
    "meeting room where it has been held for two decades, the Friends of the Library said.</p>"
    "<p>The sale runs Friday evening and Saturday morning. Hardcovers will cost a dollar and "
    "paperbacks fifty cents, with a bag sale during the last hour on Saturday.</p>"
    "<p>Organisers are still taking donations of books in good condition at the front desk "
    "through Wednesday, but cannot accept textbooks, encyclopedias or magazines.</p>"
)
NAV = "".join(
    f'<tr><td><a href="/{s.lower()}/">{s}</a></td></tr>'
    for s in ("Home", "Local", "Schools", "Sports", "Opinion", "Obituaries", "Classifieds")
)
OTHERS = "".join(
    f"<tr><td><b>{h}</b><br>{t}</td></tr>"
    for h, t in (
        ("School board weighs four-day week", "Parents packed the cafeteria on Monday night."),
        ("River to crest below flood stage", "City crews have staged sandbags as a precaution."),
        ("Softball opens with a sweep", "The Raiders beat the visitors twice on Tuesday."),
    )
)
LAYOUT_PAGE = (
    "<html><head><title>Book sale moves</title></head><body>"
    '<table width="760" cellpadding="0"><tr>'
    f'<td width="150" valign="top"><table>{NAV}</table></td>'
    f'<td width="450" valign="top"><h1>Book sale moves to the Armory</h1>{STORY}</td>'
    f'<td width="160" valign="top"><table><tr><td>OTHER HEADLINES</td></tr>{OTHERS}</table></td>'
    "</tr></table></body></html>"
)
RESULTS = (
    "<table><thead><tr><th>Club</th><th>Points</th></tr></thead><tbody>"
    "<tr><td>Raiders</td><td>12</td></tr><tr><td>Falcons</td><td>9</td></tr></tbody></table>"
)


def _table(html: str) -> object:
    return next(lxml.html.fromstring(html).iter("table"))


def test_tables_are_told_apart() -> None:
    assert is_layout_table(_table(LAYOUT_PAGE))  # cells holding paragraphs and tables
    assert not is_layout_table(_table(RESULTS))  # header cells: data
    short = "<table><tr><td>Raiders</td><td>12</td></tr><tr><td>Falcons</td><td>9</td></tr></table>"
    assert not is_layout_table(_table(short))  # short cells, no blocks: data
    assert is_layout_table(_table('<table role="presentation"><tr><td>x</td></tr></table>'))
    long_cell = "<table><tr><td>" + "word " * 61 + "</td></tr></table>"
    assert is_layout_table(_table(long_cell))
    breaks = "<table><tr><td>First part<br><br>Second part</td><td>x</td></tr></table>"
    assert is_layout_table(_table(breaks))
    column = "<table><tr><td>Home</td></tr><tr><td>Local</td></tr></table>"
    assert is_layout_table(_table(column))  # one column: a stack of links


def test_a_data_table_inside_a_layout_cell_stays_a_table() -> None:
    page = f"<html><body><table><tr><td>{STORY}{RESULTS}</td></tr></table></body></html>"
    out = unwrap_layout_tables(page)
    tree = lxml.html.fromstring(out)
    tables = list(tree.iter("table"))
    assert len(tables) == 1 and tables[0].find(".//th") is not None


def test_pages_without_layout_tables_are_left_as_they_are() -> None:
    page = f"<html><body><article>{STORY}{RESULTS}</article></body></html>"
    assert unwrap_layout_tables(page) is page
    assert unwrap_layout_tables("<p>no tables</p>") == "<p>no tables</p>"


def test_the_story_cell_is_extracted_without_the_other_columns() -> None:
    """Before, trafilatura kept the whole layout table: the navigation and the other
    headlines came out as rows beside the story."""
    article = Article(source="page.html", raw_format="html", decoded=LAYOUT_PAGE)
    ExtractStage().process(article)
    assert "roof leak closed the meeting room" in article.text
    assert "magazines" in article.text
    for other in ("Obituaries", "four-day week", "sandbags"):
        assert other not in article.text
    assert article.html == LAYOUT_PAGE  # the article keeps the page as it came


def test_data_tables_by_size_and_by_their_plain_cells() -> None:
    """A results table whose CMS wraps each cell in a paragraph is data by its size (ten rows
    or more); a bordered table of short cells inside a layout cell stays a table (the page's
    cells are told apart in one pass, each row and cell counted for its own table only)."""
    rows = "".join(f"<tr><td><p>List {i}</p></td><td><p>{i}</p></td></tr>" for i in range(12))
    assert not is_layout_table(_table(f"<table>{rows}</table>"))
    seats = "".join(
        f'<tr><td><font size="2">{name}</font></td><td><font size="2">{n}</font></td></tr>'
        for name, n in (("Reform list", 11), ("Unity list", 7), ("Civic Alliance", 6))
    )
    page = (
        f"<html><body><table><tr><td>{STORY}<table border='1'>{seats}</table></td>"
        "<td>Other headlines</td></tr></table></body></html>"
    )
    tree = lxml.html.fromstring(unwrap_layout_tables(page))
    tables = list(tree.iter("table"))
    assert len(tables) == 1 and "Civic Alliance" in tables[0].text_content()


def test_deeply_nested_tables_are_surveyed_once() -> None:
    """Fifty layout tables around a long data table: each table's own rows only, so the inner
    table stays a table and the outer ones become blocks (the survey is one pass)."""
    rows = "".join(f"<tr><td>r{i}</td><td>{i}</td></tr>" for i in range(2000))
    page = "<html><body>" + "<table><tr><td>" * 50 + f"<table>{rows}</table>"
    page += "</td></tr></table>" * 50 + "</body></html>"
    out = unwrap_layout_tables(page)
    assert out.count("<table") == 1 and out.count("<tr") == 2000
