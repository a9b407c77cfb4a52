"""`tradelens serve` through HTTP (Starlette's TestClient): check the sample draft, the
what-if rescoring, exports, the workspace pages, and the safety rules (size limit, CSRF,
Host, no path or traceback in a response, nothing stored without "save")."""

from __future__ import annotations

import io
import json
import re
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from tests import serve_support
from tests.conftest import ROOT
from tests.serve_support import DRAFT, LIMIT, csrf_of, store_counts
from tradelens.report.markdown import text as markdown_text
from tradelens.serve.app import create_app
from tradelens.serve.engine import Settings
from tradelens.taxonomy import load_taxonomy

serve_store = serve_support.serve_store  # the shared workspace fixture
BASE = "http://127.0.0.1"
ORIGIN = {"origin": BASE}


def _client(store: Path) -> tuple[TestClient, object]:
    app = create_app(Settings(store, max_upload_bytes=LIMIT))
    return TestClient(app, base_url=BASE), app


@pytest.fixture(scope="module")
def client(serve_store: Path) -> Iterator[TestClient]:
    test_client, _ = _client(serve_store)
    with test_client:
        yield test_client


@pytest.fixture(scope="module")
def checked(client: TestClient) -> dict:
    """The sample draft uploaded once: the redirect target and the result page."""
    token = csrf_of(client.get("/").text)
    response = client.post("/check", data={"csrf": token}, headers=ORIGIN,
                           files={"file": (DRAFT.name, DRAFT.read_bytes(), "text/plain")},
                           follow_redirects=False)
    assert response.status_code == 303, response.text
    url = response.headers["location"]
    page = client.get(url)
    assert page.status_code == 200
    return {"url": url, "page": page.text, "csrf": csrf_of(page.text)}


def _no_server_path(text: str, store: Path) -> None:
    for path in (str(ROOT), str(store.resolve()), "/tmp/", "tradelens-draft-"):
        assert path not in text


def _findings(page: str) -> list[str]:
    return re.findall(r'<input type="hidden" name="finding" value="([^"]+)">', page)


def _score(page: str) -> float:
    return float(re.search(r'id="score">([\d.]+)<', page).group(1))


def test_the_check_page_says_the_draft_stays_private(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Confidential by default" in response.text
    assert "nothing of it is stored" in response.text
    csp = response.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    assert response.headers["x-frame-options"] == "DENY"
    assert "tradelens_session" in response.headers["set-cookie"]
    assert "HttpOnly" in response.headers["set-cookie"]
    # every asset the page names is served by the app itself (works offline)
    for src in re.findall(r'(?:src|href)="(/[^"]*)"', response.text):
        assert client.get(src).status_code == 200, src
    assert not re.search(r'(?:src|href)="(?:https?:)?//', response.text)


def test_draft_is_shown_with_findings_options_and_precedents(checked, serve_store):
    page = checked["page"]
    # each finding's clause highlighted by category and strength
    assert re.search(r'class="clause flagged hard cat-data_free_flow" '
                     r'id="draft_digital_chapter-artx-3-p1"', page)
    assert re.search(r'class="clause flagged hard cat-server_location" '
                     r'id="draft_digital_chapter-artx-4-p1"', page)
    assert '<mark class="modal">' in page and '<mark class="topic">' in page
    # the per-option table: one row per bracketed option, each with its own score
    table = page.split('id="options"')[1].split("</table>")[0]
    rows = re.findall(r"<tr><td>(option \d)</td><td class=\"score \w+\">([\d.]+)</td>", table)
    assert [r[0] for r in rows] == ["option 1", "option 2"]
    assert float(rows[0][1]) < float(rows[1][1])  # binding wording leaves less room
    # the arithmetic behind each category and the modifiers found
    assert "weighted mean:" in page and "starts at 20" in page
    assert "Legitimate public policy objective exception with an objective necessity test" \
        in page.split('id="modifiers"')[1]
    # a precedent from the workspace, with what the draft lacks
    assert re.search(r"wording like pacific_rim_digital_partnership .*Article 8\.4", page)
    assert "The draft lacks:" in page
    assert "Not stored." in page
    _no_server_path(page, serve_store)


def test_whatif_adds_a_modifier_and_the_score_moves_by_its_relief(client, checked):
    taxonomy = load_taxonomy()
    relief = taxonomy.modifiers["lppo_self_judging"].relief
    page = checked["page"]
    keys = _findings(page)
    assert keys, "no hard finding offered a what-if"
    present = {k: re.findall(rf'value="{re.escape(k)}\|(\w+)" data-modifier="\w+" checked', page)
               for k in keys}
    target = next(k for k in keys if k.startswith("server_location|"))
    before = float(re.search(r'data-category="server_location">.*?cat-score \w+">([\d.]+)<',
                             page, re.S).group(1))
    findings = [{"category": k.split("|")[0], "clause_id": k.split("|", 1)[1],
                 "mods": present[k] + (["lppo_self_judging"] if k == target else [])}
                for k in keys]
    url = checked["url"] + "/whatif"
    response = client.post(url, content=json.dumps({"findings": findings}),
                           headers={**ORIGIN, "content-type": "application/json",
                                    "x-csrf-token": checked["csrf"]})
    assert response.status_code == 200, response.text
    data = response.json()
    after = data["categories"]["server_location"]["policy_space"]
    assert after == min(before + relief, taxonomy.scoring["hard_ceiling"])
    assert any("(proposed)" in line
               for line in data["categories"]["server_location"]["explanation"])
    assert data["score"] > _score(page)
    # untick an exception the draft has: the data-flow rule loses its relief
    flows = next(k for k in keys if k.startswith("data_free_flow|"))
    assert "lppo_necessity" in present[flows]
    without = [{**f, "mods": [m for m in f["mods"] if m != "lppo_necessity"]}
               if f["category"] == "data_free_flow" else f for f in findings]
    data2 = client.post(url, content=json.dumps({"findings": without}),
                        headers={**ORIGIN, "content-type": "application/json",
                                 "x-csrf-token": checked["csrf"]}).json()
    assert data2["findings"][flows]["policy_space"] == \
        data["findings"][flows]["policy_space"] - taxonomy.modifiers["lppo_necessity"].relief
    # the draft itself is untouched: the page still shows the score as analysed
    assert _score(client.get(checked["url"]).text) == _score(page)


def test_whatif_offers_wording_from_the_closest_precedent_that_has_it(checked, serve_store):
    from tradelens.workspace.store import Store

    page = checked["page"]
    article = page.split('data-finding="server_location|')[1].split("</article>")[0]
    option = article.split('data-modifier="lppo_necessity"')[1].split('<div class="option">')[0]
    proposed = re.search(r'<blockquote class="proposal-text">(.*?)</blockquote>', option, re.S)
    assert proposed, "no wording proposed for an LPPO exception on the localisation rule"
    store = Store(serve_store)
    try:
        carriers = [m["text"] for r in store.reports() for m in r["modifiers"]
                    if m["type"] == "lppo_necessity"]
    finally:
        store.close()
    import html

    assert html.unescape(proposed.group(1)) in carriers


def test_the_no_script_form_recalculates_too(client, checked):
    page = checked["page"]
    keys = _findings(page)
    form = {"csrf": checked["csrf"], "finding": keys,
            "mod": [f"{k}|no_dispute_settlement" for k in keys]}
    response = client.post(checked["url"] + "/whatif", data=form, headers=ORIGIN)
    assert response.status_code == 200
    assert _score(response.text) > _score(page)
    assert "as analysed:" in response.text


def test_exports_json_markdown_and_word_with_comments(client, checked, tmp_path, serve_store):
    from tradelens.report.contract import validate_report

    form = {"csrf": checked["csrf"]}
    report = client.post(checked["url"] + "/export/json", data=form, headers=ORIGIN)
    assert report.status_code == 200
    assert "attachment" in report.headers["content-disposition"]
    data = report.json()
    validate_report(data)
    assert data["agreement"]["source"] == DRAFT.name
    _no_server_path(report.text, serve_store)
    markdown = client.post(checked["url"] + "/export/md", data=form, headers=ORIGIN)
    assert markdown.text.startswith(f"# {markdown_text(data['agreement']['title'])}")
    assert f"{markdown_text(format(data['policy_space']['score'], 'g'))} / 100" in markdown.text

    word = client.post(checked["url"] + "/export/docx", data=form, headers=ORIGIN)
    assert word.status_code == 200
    assert word.headers["content-type"].startswith("application/vnd.openxmlformats")
    path = tmp_path / "draft.docx"
    path.write_bytes(word.content)
    assert "word/comments.xml" in zipfile.ZipFile(io.BytesIO(word.content)).namelist()
    import docx

    document = docx.Document(str(path))
    flagged = sum(len(b["findings"]) for b in data["categories"].values())
    comments = list(document.comments)
    assert len(comments) == flagged >= 2
    assert all("closest precedent:" in c.text and "score effect:" in c.text for c in comments)
    # the project's own DOCX reader sees the same comments, on the flagged clauses
    from tradelens.text.docx_reader import read_docx

    read = read_docx(path)
    noted = [b for b in read.blocks if b.comments]
    assert len(noted) == len({f["clause_id"] for b in data["categories"].values()
                              for f in b["findings"]})
    assert any("No Party shall require a covered person" in b.text for b in noted)
    # and the Word file goes back in as a draft: its type is sniffed from the content
    back = client.post("/check", data=form, headers=ORIGIN,
                       files={"file": ("returned draft.dat", word.content,
                                       "application/octet-stream")})
    assert back.status_code == 200, back.text
    assert "returned_draft.dat" in back.text
    assert len(re.findall(r'class="clause flagged hard', back.text)) == \
        len(re.findall(r'class="clause flagged hard', checked["page"]))


def test_an_oversize_upload_is_refused_with_a_clear_message(client):
    token = csrf_of(client.get("/").text)
    big = b"Article 1\n" + b"x" * (LIMIT + 100_000)
    response = client.post("/check", data={"csrf": token}, headers=ORIGIN,
                           files={"file": ("big.txt", big, "text/plain")})
    assert response.status_code == 413
    assert "File too large" in response.text and "0.25 MB limit" in response.text
    pasted = client.post("/check", data={"csrf": token, "text": "y" * (LIMIT + 10)},
                         files={"file": ("", b"", "application/octet-stream")},
                         headers=ORIGIN)  # multipart, as the page's form sends it
    assert pasted.status_code == 413
    assert "larger than the 0.25 MB limit" in pasted.text


def test_bad_input_gets_the_uniform_error_page_naming_only_the_file(client, serve_store):
    token = csrf_of(client.get("/").text)
    response = client.post("/check", data={"csrf": token}, headers=ORIGIN,
                           files={"file": ("../../etc/secret plan.pdf", b"\x00\x01junk" * 50,
                                           "application/pdf")})
    assert response.status_code == 400
    message = re.search(r'id="error-message">(.*?)</p>', response.text, re.S).group(1)
    assert message.startswith("secret_plan.pdf: ")
    assert "not a PDF" in message
    _no_server_path(response.text, serve_store)
    assert "../" not in message


def test_forms_without_a_valid_token_or_origin_are_refused(client, checked, serve_store):
    token = csrf_of(client.get("/").text)
    files = {"file": (DRAFT.name, DRAFT.read_bytes(), "text/plain")}
    assert client.post("/check", files=files, headers=ORIGIN).status_code == 403
    bad = client.post("/check", data={"csrf": "0" * 64}, files=files, headers=ORIGIN)
    assert bad.status_code == 403 and "form token" in bad.text
    cross = client.post("/check", data={"csrf": token}, files=files,
                        headers={"origin": "http://evil.example"})
    assert cross.status_code == 403
    # another browser (another session cookie) cannot use this session's token or draft
    other = TestClient(client.app, base_url=BASE)
    stolen = other.post("/check", data={"csrf": token}, files=files, headers=ORIGIN)
    assert stolen.status_code == 403
    assert other.get(checked["url"]).status_code == 404
    # JSON what-if needs the header token too
    plain = client.post(checked["url"] + "/whatif", content=b'{"findings": []}',
                        headers={**ORIGIN, "content-type": "application/json"})
    assert plain.status_code == 403
    # a foreign Host (DNS rebinding) is refused before any page is built
    assert client.get("/", headers={"host": "evil.example"}).status_code == 400


def test_workspace_filters_compare_and_search(client, serve_store):
    from tradelens.workspace.store import Store

    store = Store(serve_store)
    try:
        reports = {r["agreement"]["id"]: r for r in store.reports()}
    finally:
        store.close()
    everything = client.get("/workspace")
    assert everything.status_code == 200
    assert set(re.findall(r'<tr data-id="([^"]+)"', everything.text)) == set(reports)
    hard = client.get("/workspace", params={"category": "server_location",
                                            "strength": "hard"}).text
    listed = set(re.findall(r'<tr data-id="([^"]+)"', hard))
    expected = {i for i, r in reports.items()
                if r["categories"]["server_location"]["status"] == "hard"}
    assert listed == expected and 0 < len(listed) < len(reports)
    some = sorted(reports)[:3]
    compared = client.get("/compare", params=[("id", i) for i in some])
    assert compared.status_code == 200
    header = compared.text.split("<thead>")[1].split("</thead>")[0]
    assert [i for i in some if f"<code>{i}</code>" in header] == some
    exported = client.get("/compare", params=[("id", i) for i in some] + [("format", "json")])
    assert [a["id"] for a in exported.json()["agreements"]] == some
    found = client.get("/search", params={"q": "no Party shall require the transfer of "
                                               "source code", "category": "source_code_secrecy"})
    hits = re.findall(r"<code>([^<]+:[^<]+)</code> · signed", found.text)
    assert hits
    finding_ids = {f["clause_id"] for r in reports.values()
                   for f in r["categories"]["source_code_secrecy"]["findings"]}
    assert set(hits) <= finding_ids


def test_an_internal_error_shows_no_traceback(client, monkeypatch):
    engine = client.app.state.engine

    def broken(*_args: object) -> None:
        raise RuntimeError("secret internals at /srv/private/path")

    monkeypatch.setattr(engine, "search", broken)
    quiet = TestClient(client.app, base_url=BASE, raise_server_exceptions=False)
    response = quiet.get("/search", params={"q": "data"})
    assert response.status_code == 500
    assert "Traceback" not in response.text and "/srv/private" not in response.text
    assert "Internal error" in response.text


def test_nothing_is_stored_until_save_is_pressed(serve_store, tmp_path):
    store = tmp_path / "store"
    shutil.copytree(serve_store, store)
    before = store_counts(store)
    test_client, _ = _client(store)
    with test_client as client:
        token = csrf_of(client.get("/").text)
        response = client.post("/check", data={"csrf": token}, headers=ORIGIN,
                               files={"file": (DRAFT.name, DRAFT.read_bytes(), "text/plain")})
        assert response.status_code == 200 and "Save to workspace" in response.text
        assert store_counts(store) == before  # not the text, not even its vectors
        url = re.search(r'action="(/draft/[^/]+)/save"', response.text).group(1)
        saved = client.post(url + "/save", data={"csrf": csrf_of(response.text)},
                            headers=ORIGIN)
        assert saved.status_code == 200 and "Saved to the workspace" in saved.text
        after = store_counts(store)
        assert after["agreements"] == before["agreements"] + 1
        assert after["embeddings"] > before["embeddings"]
        assert "draft_digital_chapter" in client.get("/workspace").text
        # the saved draft is searchable at once (the clause index was rebuilt)
        found = client.get("/search", params={"q": "cybersecurity incident response capacity"})
        assert "draft_digital_chapter:" in found.text


def test_the_cli_serves_on_the_loopback_interface(serve_store, tmp_path):
    """`tradelens serve` itself: a real process, bound to 127.0.0.1, answering pages."""
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "tradelens.cli", "serve", "--store", str(serve_store),
         "--port", str(port)], cwd=ROOT, stdout=subprocess.DEVNULL,
        stderr=open(tmp_path / "serve.log", "w"))  # noqa: SIM115 - closed with the process
    try:
        deadline = time.monotonic() + 300
        while True:
            assert process.poll() is None, (tmp_path / "serve.log").read_text()
            try:  # loopback only: the server this test started
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as page:
                    body = page.read().decode()
                    headers = page.headers
                break
            except OSError:
                assert time.monotonic() < deadline, "tradelens serve did not answer"
                time.sleep(0.5)
        assert "Check a draft" in body and "Confidential by default" in body
        assert "default-src 'none'" in headers["content-security-policy"]
        listening = [line for line in (tmp_path / "serve.log").read_text().splitlines()
                     if "Uvicorn running on" in line]
        assert listening and f"http://127.0.0.1:{port}" in listening[0]
    finally:
        process.terminate()
        process.wait(timeout=60)


def test_the_user_picks_the_precedents(client):
    token = csrf_of(client.get("/").text)
    response = client.post("/check", data={"csrf": token, "reference": ["northern_trade_accord"]},
                           headers=ORIGIN,
                           files={"file": (DRAFT.name, DRAFT.read_bytes(), "text/plain")})
    assert response.status_code == 200
    named = response.text.split("Precedents:")[1].split("</p>")[0]
    assert "<code>northern_trade_accord</code>" in named
    assert "pacific_rim_digital_partnership" not in named
    verdicts = re.findall(r"<p><strong>(.*?)</strong></p>", response.text)
    assert verdicts and all("northern_trade_accord" in v for v in verdicts)
    unknown = client.post("/check", data={"csrf": token, "reference": ["no_such_agreement"]},
                          headers=ORIGIN,
                          files={"file": (DRAFT.name, DRAFT.read_bytes(), "text/plain")})
    assert unknown.status_code == 400
