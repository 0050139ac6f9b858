"""Team work on the sample corpus: tags, collections, notes (with the author-or-admin rule), and
hiding an article from every view and count, then restoring it exactly (issue 14 item 4).

Each test takes a fresh copy of the ingested sample store; the web tests sign in through the real
login form (`client_for`) and the JSON writes use a real API token or the page's CSRF token.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from tests.web.conftest import SAMPLE, cli, cli_json, client_for, csrf_of, ensure_user

from storyline import config
from storyline.errors import NotFound, WebError
from storyline.sources.sample import GOLD_FILES
from storyline.store import Store
from storyline.store.team import TEAM_TABLES
from storyline.store.teamwork import TEAMWORK_TABLES
from storyline.team import Who, audit_rows, create_token
from storyline.team import hidden as hiding
from storyline.team import teamwork as work
from storyline.team.teamwork import Actor
from storyline.testing import snapshot_diff, store_snapshot

ANN = Actor("analyst", "analyst", "cli", "local")
BOB = Actor("bob", "analyst", "cli", "local")
ROOT = Actor("admin", "admin", "cli", "local")
VIEW = Actor("viewer", "viewer", "cli", "local")
#: The incremental clusterer's own state: story membership is compared as a partition instead.
CLUSTER_TABLES = frozenset(
    {"stories", "story_articles", "storylines", "storyline_stories", "cluster_state",
     "cluster_state_stories"}
)  # fmt: skip


def open_store(db: Path) -> Store:
    return Store(str(db), 10_000, config.load(None, {"store": {"db": str(db)}}))


def one_id(conn: sqlite3.Connection, sql: str) -> str:
    row = conn.execute(sql).fetchone()
    assert row is not None, sql
    return str(row[0])


def busy_article(conn: sqlite3.Connection) -> str:
    """An article with copies, quotes, events and places: the most to leave out."""
    return one_id(
        conn,
        "SELECT a.id FROM articles a WHERE EXISTS (SELECT 1 FROM copy_links c WHERE c.a = a.id "
        "OR c.b = a.id) AND EXISTS (SELECT 1 FROM quotes q WHERE q.article_id = a.id) "
        "AND EXISTS (SELECT 1 FROM events e WHERE e.article_id = a.id) ORDER BY a.id LIMIT 1",
    )


# -- the library ---------------------------------------------------------------------------------


def test_tags_collections_and_notes_with_their_rules(fresh_sample_db: Path) -> None:
    store = open_store(fresh_sample_db)
    conn = store.conn
    try:
        article = one_id(conn, "SELECT id FROM articles ORDER BY id LIMIT 1")
        story = one_id(conn, "SELECT id FROM stories ORDER BY id LIMIT 1")
        actor = one_id(conn, "SELECT id FROM actors ORDER BY id LIMIT 1")
        work.add_tag(conn, "article", article, "  border   closure ", ANN)
        work.add_tag(conn, "story", story, "Border closure", BOB)  # one tag, any case
        assert work.tag_list(conn) == [{"tag": "border closure", "articles": 1, "stories": 1}]
        assert {r["target"] for r in work.tagged(conn, "BORDER CLOSURE")} == {article, story}
        with pytest.raises(WebError) as bad:
            work.add_tag(conn, "article", article, "<script>", ANN)
        assert bad.value.code == "E971"
        with pytest.raises(NotFound):
            work.add_tag(conn, "article", "no-such-article", "x", ANN)
        with pytest.raises(WebError) as low:
            work.add_tag(conn, "article", article, "x", VIEW)
        assert low.value.code == "E952"

        made = work.create_collection(conn, "Border file", "closures and reopenings", ANN)
        assert made["owner"] == "analyst" and made["items"] == []
        work.add_to_collection(conn, "border FILE", "article", article, BOB)
        work.add_to_collection(conn, "Border file", "story", story, BOB)
        rows = work.collections(conn)
        assert [(r["name"], r["articles"], r["stories"]) for r in rows] == [("Border file", 1, 1)]
        with pytest.raises(WebError) as taken:
            work.create_collection(conn, "border file", "", BOB)
        assert taken.value.code == "E972"
        with pytest.raises(WebError) as theirs:
            work.delete_collection(conn, "Border file", BOB)
        assert theirs.value.code == "E973"

        note = work.add_note(conn, "actor", actor, "Check this spelling with the desk.", ANN)
        assert (note["author"], note["edited_at"]) == ("analyst", None)
        with pytest.raises(WebError) as other:
            work.edit_note(conn, int(note["id"]), "rewritten by bob", BOB)
        assert other.value.code == "E973"
        with pytest.raises(WebError):
            work.delete_note(conn, int(note["id"]), BOB)
        edited = work.edit_note(conn, int(note["id"]), "Checked: same person.", ANN)
        assert edited["body"] == "Checked: same person." and edited["edited_at"]
        work.add_note(conn, "story", story, "Bob's note", BOB)
        work.delete_note(conn, int(note["id"]), ROOT)  # an admin may delete anyone's
        assert [n["body"] for n in work.notes(conn)] == ["Bob's note"]
        assert work.team_of(conn, "story", story)["collections"] == ["Border file"]

        actions = [r["action"] for r in audit_rows(conn, limit=50)]
        for done in ("tag.add", "collection.create", "collection.add", "note.add", "note.edit",
                     "note.delete"):  # fmt: skip
            assert done in actions
        refused = [r for r in audit_rows(conn, limit=50) if r["action"] == "note.edit"]
        assert len(refused) == 1 and refused[0]["actor"] == "analyst"  # bob's try wrote nothing
    finally:
        store.close()


# -- hiding ---------------------------------------------------------------------------------------

#: JSON answers and pages that show articles or count them.
VIEWS = [
    "/api/v1/home",
    "/api/v1/articles?limit=200",
    "/api/v1/stories?limit=200",
    "/api/v1/storylines?limit=200",
    "/api/v1/stats",
    "/api/v1/actors?limit=200",
    "/api/v1/quotes?limit=200",
    "/api/v1/events?limit=200",
    "/api/v1/places",
    "/api/v1/outlets",
    "/",
    "/articles?limit=200",
    "/quotes?limit=200",
    "/events?limit=200",
]


def untimed(value: Any) -> Any:
    """A JSON answer without its ``found_at`` stamps."""
    if isinstance(value, dict):
        return {k: untimed(v) for k, v in value.items() if k != "found_at"}
    if isinstance(value, list):
        return [untimed(v) for v in value]
    return value


def snapshot(db: Path) -> dict[str, list[tuple[object, ...]]]:
    return store_snapshot(db, exclude=TEAM_TABLES | TEAMWORK_TABLES | CLUSTER_TABLES)


def partition(db: Path) -> set[tuple[frozenset[str], int, int]]:
    conn = sqlite3.connect(db)
    try:
        groups: dict[str, set[str]] = {}
        for article_id, story_id in conn.execute("SELECT article_id, story_id FROM story_articles"):
            groups.setdefault(story_id, set()).add(article_id)
        sizes = {r[0]: (r[1], r[2]) for r in conn.execute(
            "SELECT id, n_articles, n_sources FROM stories")}  # fmt: skip
        return {(frozenset(m), *sizes[s]) for s, m in groups.items()}
    finally:
        conn.close()


def test_a_hidden_article_is_in_no_view_or_count_and_comes_back_exactly(
    fresh_sample_db: Path,
) -> None:
    db = fresh_sample_db
    store = open_store(db)
    conn = store.conn
    article = busy_article(conn)
    title = one_id(conn, f"SELECT title FROM articles WHERE id = '{article}'")
    story = one_id(conn, f"SELECT story_id FROM story_articles WHERE article_id = '{article}'")
    word = max(re.findall(r"[A-Za-z]{5,}", title), key=len)
    copies = [r[0] for r in conn.execute(
        "SELECT CASE WHEN a = ? THEN b ELSE a END FROM copy_links WHERE a = ? OR b = ?",
        (article, article, article))]  # fmt: skip
    views = [*VIEWS, f"/api/v1/search?q={word}", f"/search?q={word}", f"/api/v1/stories/{story}",
             *(f"/api/v1/articles/{c}/copies" for c in copies)]  # fmt: skip
    before_snap, before_parts = snapshot(db), partition(db)
    with client_for(db, "viewer") as c:
        before = {v: c.get(v) for v in views}
        assert all(r.status_code == 200 for r in before.values())
        assert any(article in r.text for r in before.values())
        hidden = hiding.hide(store, article, "spam test", ANN)
        assert hidden["article_id"] == article and hidden["sources"]
        after = {v: c.get(v) for v in views}
        for view, response in after.items():
            assert response.status_code == 200, view
            assert article not in response.text, f"{view} still shows the hidden article"
            assert article[:10] not in response.text, view
        assert c.get(f"/articles/{article}").status_code == 404
        assert c.get(f"/api/v1/articles/{article}").status_code == 404
        stats = (before["/api/v1/stats"].json(), after["/api/v1/stats"].json())
        assert stats[1]["articles"] == stats[0]["articles"] - 1
        found = (
            before[f"/api/v1/search?q={word}"].json(),
            after[f"/api/v1/search?q={word}"].json(),
        )
        assert found[1]["total"] == found[0]["total"] - 1
        sizes = (
            before[f"/api/v1/stories/{story}"].json(),
            after[f"/api/v1/stories/{story}"].json(),
        )
        assert sizes[1]["n_articles"] == sizes[0]["n_articles"] - 1
        actors = [
            sum(r["articles"] for r in v["/api/v1/actors?limit=200"].json()["items"])
            for v in (before, after)
        ]
        assert actors[1] < actors[0]  # actor mention counts leave it out
        # no table but the kept copy holds it
        for table in ("articles", "mentions", "quotes", "events", "copy_links", "story_articles",
                      "cooccurrence_links", "place_links", "raw_inputs"):  # fmt: skip
            column = "a" if table == "copy_links" else "id" if table == "articles" else "article_id"
            assert not conn.execute(
                f"SELECT 1 FROM {table} WHERE {column} = ?", (article,)
            ).fetchone()
        # re-ingesting the same files (even with --force) does not bring it back
        args = [a for pattern in GOLD_FILES for a in ("--exclude", pattern)]
        cli(db, "ingest", str(SAMPLE), *args, code=1)
        cli(db, "ingest", str(SAMPLE), "--force", *args, code=1)
        assert not conn.execute("SELECT 1 FROM articles WHERE id = ?", (article,)).fetchone()
        assert [h["article_id"] for h in hiding.hidden_articles(store)] == [article]

        with pytest.raises(WebError):
            hiding.restore(store, article, ANN)  # an analyst cannot restore
        hiding.restore(store, article, ROOT)
        restored = {v: c.get(v) for v in views}
        changed = [  # the same answers, but for when a copy link was found (again)
            v
            for v in views
            if v.startswith("/api/") and untimed(restored[v].json()) != untimed(before[v].json())
        ]
        assert changed == []
    assert snapshot_diff(before_snap, snapshot(db)) == {}
    assert partition(db) == before_parts
    actions = [(r["action"], r["actor"]) for r in audit_rows(conn, action="article.")]
    assert actions == [("article.restore", "admin"), ("article.hide", "analyst")]
    store.close()


# -- the web --------------------------------------------------------------------------------------


def test_forms_write_with_the_csrf_token_and_refuse_without(fresh_sample_db: Path) -> None:
    db = fresh_sample_db
    conn = sqlite3.connect(db)
    article = one_id(conn, "SELECT id FROM articles ORDER BY id LIMIT 1")
    story = one_id(conn, "SELECT id FROM stories ORDER BY id LIMIT 1")
    conn.close()
    page = f"/articles/{article}"
    forms: list[tuple[str, dict[str, str]]] = [
        ("/collections", {"name": "Watch", "description": "d"}),
        ("/notes", {"kind": "article", "target": article, "body": "first note", "next": page}),
        ("/tags", {"kind": "article", "target": article, "tag": "watch", "next": page}),
        ("/tags", {"kind": "story", "target": story, "tag": "watch", "next": page}),
        (
            "/collections/items",
            {"collection": "Watch", "kind": "article", "target": article, "next": page},
        ),
    ]
    with client_for(db, "analyst") as c:
        token = csrf_of(c.get(page).text)
        for path, data in forms:  # every form refuses a post without its token, changing nothing
            refused = c.post(path, data=data, follow_redirects=False)
            assert refused.status_code == 403 and "E902" in refused.text, path
        assert work.tag_list(open_store(db).conn) == []
        for path, data in forms:
            done = c.post(path, data={**data, "csrf_token": token}, follow_redirects=False)
            assert done.status_code == 303, (path, done.text[:300])
        html = c.get(page).text
        assert "first note" in html and "/tags/watch" in html and 'action="/notes"' in html
        assert "Watch" in c.get("/collections").text
        assert article in c.get("/collections/Watch").text
        assert c.get("/tags").text.count("/tags/watch") == 1
        note_id = re.search(r'id="note-(\d+)"', html)
        assert note_id
        for path in (f"/notes/{note_id[1]}/edit", f"/notes/{note_id[1]}/delete",
                     "/tags/remove", "/collections/items/remove", "/collections/Watch/delete",
                     f"/articles/{article}/hide"):  # fmt: skip
            refused = c.post(path, data={"body": "x", "next": page}, follow_redirects=False)
            assert refused.status_code == 403 and "E902" in refused.text, path
    ensure_user(db, "bob", "analyst")
    with client_for(db, "bob") as c:  # another analyst's note: no controls, and refused
        html = c.get(page).text
        assert "first note" in html and f"/notes/{note_id[1]}/edit" not in html
        token = csrf_of(html)
        other = c.post(f"/notes/{note_id[1]}/delete", data={"csrf_token": token, "next": page})
        assert other.status_code == 403 and "E973" in other.text
    with client_for(db, "viewer") as c:  # a viewer reads the note and tag, with no write control
        html = c.get(page).text
        assert "first note" in html and "/tags/watch" in html
        assert 'action="/notes"' not in html and 'action="/tags"' not in html
        assert "/hide" not in html
    with client_for(db, "admin") as c:
        token = csrf_of(c.get(page).text)
        hide = c.post(f"/articles/{article}/hide", data={"csrf_token": token, "reason": "dup"},
                      follow_redirects=False)  # fmt: skip
        assert hide.status_code == 303
        assert article in c.get("/admin/hidden").text
        assert "Watch" in c.get("/collections").text and article not in c.get(
            "/collections/Watch").text  # fmt: skip
        refused = c.post(f"/admin/hidden/{article}/restore", follow_redirects=False)
        assert refused.status_code == 403 and "E902" in refused.text
        back = c.post(f"/admin/hidden/{article}/restore", data={"csrf_token": token},
                      follow_redirects=False)  # fmt: skip
        assert back.status_code == 303 and "first note" in c.get(page).text


def test_the_json_api_with_a_token_and_with_a_session(fresh_sample_db: Path) -> None:
    db = fresh_sample_db
    ensure_user(db, "analyst")
    store = open_store(db)
    token, _ = create_token(store.conn, "analyst", None, 1, "script", Who("test", "cli"))
    actor = one_id(store.conn, "SELECT id FROM actors ORDER BY id LIMIT 1")
    article = one_id(store.conn, "SELECT id FROM articles ORDER BY id LIMIT 1")
    store.close()
    bearer = {"authorization": f"Bearer {token}"}
    with client_for(db, None) as c:
        made = c.post("/api/v1/notes", json={"kind": "actor", "target": actor, "body": "via API"},
                      headers=bearer)  # fmt: skip
        assert made.status_code == 200, made.text
        note: dict[str, Any] = made.json()
        assert note["author"] == "analyst"
        got = c.get(f"/api/v1/annotations/actor/{actor}", headers=bearer).json()
        assert [n["body"] for n in got["notes"]] == ["via API"]
        edited = c.patch(f"/api/v1/notes/{note['id']}", json={"body": "edited"}, headers=bearer)
        assert edited.json()["body"] == "edited"
        tagged = c.post(f"/api/v1/annotations/article/{article}/tags", json={"tag": "api"},
                        headers=bearer)  # fmt: skip
        assert [t["tag"] for t in tagged.json()["tags"]] == ["api"]
        assert c.get("/api/v1/tags", headers=bearer).json()["items"][0]["tag"] == "api"
        made = c.post("/api/v1/collections", json={"name": "API set"}, headers=bearer)
        assert made.status_code == 200
        c.post("/api/v1/collections/API set/items", json={"kind": "article", "target": article},
               headers=bearer)  # fmt: skip
        assert c.get("/api/v1/collections/API set", headers=bearer).json()["items"][0][
            "target"] == article  # fmt: skip
        missing = c.post("/api/v1/notes", json={"kind": "planet", "target": "x", "body": "y"},
                         headers=bearer)  # fmt: skip
        assert missing.status_code == 400 and missing.json()["error"]["code"] == "E974"
        gone = c.delete(f"/api/v1/notes/{note['id']}", headers=bearer)
        assert gone.status_code == 200
        # past SQLite's integers (found by the schemathesis run): the caller's error, not a 500
        for bad in (2**63, 0, -1):
            refused = c.delete(f"/api/v1/notes/{bad}", headers=bearer)
            assert refused.status_code == 400, (bad, refused.text)
            assert "note_id" in refused.json()["error"]["message"]
            refused = c.patch(f"/api/v1/notes/{bad}", json={"body": "x"}, headers=bearer)
            assert refused.status_code == 400, (bad, refused.text)
        assert c.delete(f"/api/v1/notes/{2**63 - 1}", headers=bearer).status_code == 404
        assert "/api/v1/notes" in c.get("/api/v1/openapi.json", headers=bearer).json()["paths"]
    with client_for(db, "analyst") as c:  # a browser session must send the page's CSRF token
        body = {"kind": "article", "target": article, "body": "from the page"}
        refused = c.post("/api/v1/notes", json=body)
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "E902"
        token = csrf_of(c.get(f"/articles/{article}").text)
        assert (
            c.post("/api/v1/notes", json=body, headers={"x-csrf-token": token}).status_code == 200
        )
    with client_for(db, "viewer") as c:
        assert c.get("/api/v1/notes").json()["items"][0]["body"] == "from the page"


def test_the_cli_acts_as_a_named_user_and_prints_what_the_api_answers(
    fresh_sample_db: Path,
) -> None:
    db = fresh_sample_db
    for name in ("analyst", "viewer", "admin"):
        ensure_user(db, name)
    conn = sqlite3.connect(db)
    article = one_id(conn, "SELECT id FROM articles ORDER BY id LIMIT 1")
    story = one_id(conn, "SELECT id FROM stories ORDER BY id LIMIT 1")
    conn.close()
    assert cli(db, "tags", "add", "article", article[:8], "watch", "--as", "analyst") == (
        f"article {article}: watch\n"
    )
    cli(db, "tags", "add", "story", story, "watch", "--as", "analyst")
    assert cli(db, "notes", "add", "article", article, "first", "--as", "analyst").startswith(
        f"note 1 on article {article} by analyst"
    )
    cli(db, "notes", "add", "actor", "Rahmani-Fard", "spelled three ways", "--as", "analyst")
    assert cli(db, "collections", "create", "Watch", "--description", "d", "--as", "analyst") == (
        "collection 'Watch' made, owned by analyst\n"
    )
    assert cli(db, "collections", "add", "Watch", "story", story, "--as", "analyst") == (
        "Watch: 1 items\n"
    )
    refused = cli(db, "notes", "add", "article", article, "x", "--as", "viewer", code=2)
    assert refused == ""  # the error went to stderr: E952, nothing written
    cli(db, "notes", "delete", "1", "--as", "viewer", code=2)
    who = [(r["actor"], r["action"]) for r in audit_rows(open_store(db).conn, limit=10)]
    assert ("analyst", "note.add") in who and ("viewer", "note.add") not in who

    twins = [
        ("/api/v1/tags", ("tags", "list")),
        ("/api/v1/tags/watch", ("tags", "show", "watch")),
        ("/api/v1/notes", ("notes", "list")),
        ("/api/v1/collections", ("collections", "list")),
        ("/api/v1/collections/Watch", ("collections", "show", "Watch")),
        (f"/api/v1/annotations/article/{article}", ("notes", "show", "article", article)),
        (f"/api/v1/annotations/story/{story}", ("notes", "show", "story", story)),
    ]
    with client_for(db, "viewer") as c:
        for path, command in twins:
            body = c.get(path).json()
            printed = cli_json(db, *command)
            assert (body["items"] if isinstance(printed, list) else body) == printed, path
            assert printed, path
    assert cli(db, "articles", "hide", article, "--reason", "dup", "--as", "analyst").startswith(
        f"hidden {article}"
    )
    assert [r["article_id"] for r in cli_json(db, "articles", "hidden")] == [article]
    assert cli_json(db, "tags", "show", "watch")[0]["kind"] == "story"  # the article's is kept
    cli(db, "articles", "restore", article[:8], "--as", "analyst", code=2)
    cli(db, "articles", "restore", article[:8], "--as", "admin")
    assert {r["target"] for r in cli_json(db, "tags", "show", "watch")} == {article, story}


def test_actor_notes_follow_a_merge(fresh_sample_db: Path) -> None:
    from storyline.analysis import actors as actor_analysis

    store = open_store(fresh_sample_db)
    conn = store.conn
    try:
        rows = conn.execute(
            "SELECT actor_id, count(*) FROM mentions WHERE actor_id IS NOT NULL "
            "GROUP BY actor_id ORDER BY count(*) DESC LIMIT 2"
        ).fetchall()
        keep, other = str(rows[0][0]), str(rows[1][0])
        on_keep = work.add_note(conn, "actor", keep, "The survivor's own note.", ANN)
        on_other = work.add_note(conn, "actor", other, "Written before the merge.", BOB)
        assert [n["id"] for n in work.notes_of(conn, "actor", keep)] == [on_keep["id"]]
        actor_analysis.merge(conn, keep, other, note="same person")
        shown = work.team_of(conn, "actor", keep)["notes"]
        assert [n["id"] for n in shown] == [on_keep["id"], on_other["id"]]
        assert shown[1]["target"] == other and shown[1]["author"] == "bob"  # as written
        assert other in {n["target"] for n in work.notes(conn)}  # still listed, still live
    finally:
        store.close()
