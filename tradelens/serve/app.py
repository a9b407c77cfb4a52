"""`tradelens serve`: the negotiator's workbench as a local web application.

Starlette routes, Jinja2 pages in the scorecard's look, one small script for the what-if
toggles. The engine (tradelens/serve/engine.py) holds the one session; handlers parse and
check the request here, then await work on the engine's thread.
"""

from __future__ import annotations

import json
import logging
from contextlib import asynccontextmanager
from importlib import resources
from typing import Any

from jinja2 import Environment
from starlette.applications import Starlette
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from tradelens import __version__
from tradelens.errors import InputError, TradeLensError
from tradelens.report.html_site import template_environment
from tradelens.serve import views
from tradelens.serve.drafts import Toggles, rescored_report, safe_name
from tradelens.serve.engine import Engine, Settings
from tradelens.serve.security import (
    CSRF_FIELD,
    CSRF_HEADER,
    CsrfError,
    Guard,
    SessionHeaders,
)

log = logging.getLogger("tradelens.serve")
#: Room for the multipart envelope and form fields around an upload at the size limit.
_ENVELOPE_BYTES = 64 * 1024
#: An over-size body is read (and dropped) up to this many times the limit, so the
#: browser gets the error page rather than a reset connection; beyond, the connection
#: is simply closed.
_DRAIN_FACTOR = 4
#: Agreements shown side by side at most (a bound on one request's work).
MAX_COMPARED = 50
UPLOAD_HINT = "PDF, Word (DOCX), XML, HTML or plain text"


class PageError(Exception):
    """A request the app refuses, shown on the uniform error page."""

    def __init__(self, status: int, title: str, message: str) -> None:
        super().__init__(message)
        self.status, self.title, self.message = status, title, message


def _environment() -> Environment:
    return template_environment("tradelens.serve")


def _mb(size: int) -> str:
    return f"{size / 2**20:g} MB"


def create_app(settings: Settings, allowed_hosts: list[str] | None = None) -> Starlette:
    """The ASGI app over one workspace; the engine starts with the app (lifespan)."""
    engine = Engine(settings)
    guard = Guard()
    env = _environment()
    limit = settings.max_upload_bytes

    def render(request: Request, template: str, status: int = 200, **context: Any) -> Response:
        session = request.scope["state"]["session"]
        page = env.get_template(template).render(
            version=__version__, csrf_field=CSRF_FIELD, csrf=guard.token(session),
            limit=_mb(limit), upload_hint=UPLOAD_HINT, **context)
        return HTMLResponse(page, status_code=status)

    def owner(request: Request) -> str:
        return request.scope["state"]["session"]

    def verify(request: Request, token: str | None) -> None:
        try:
            guard.check(owner(request), token, request.headers.get("origin"),
                        request.headers.get("referer"), request.headers.get("host"))
        except CsrfError as exc:
            raise PageError(403, "Request refused", str(exc)) from exc

    async def drain(request: Request) -> None:
        seen = 0
        async for chunk in request.stream():
            seen += len(chunk)
            if seen > limit * _DRAIN_FACTOR:
                break

    async def form(request: Request) -> FormData:
        """The posted form, size-checked before it is parsed, and its CSRF token checked."""
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > limit + _ENVELOPE_BYTES):
            await drain(request)
            raise PageError(413, "File too large",
                            f"The upload is larger than the {_mb(limit)} limit of this app; "
                            "send a smaller file or only the chapter you want checked.")
        try:
            data = await request.form(max_files=1, max_fields=400, max_part_size=limit)
        except (MultiPartException, HTTPException) as exc:
            # Starlette reports a bad or over-size multipart body as HTTPException(400)
            detail = str(getattr(exc, "detail", "") or exc)
            if "maximum size" in detail:
                raise PageError(413, "File too large",
                                f"The pasted text is larger than the {_mb(limit)} limit of "
                                "this app.") from exc
            raise PageError(400, "Form not understood", detail) from exc
        verify(request, data.get(CSRF_FIELD) if isinstance(data.get(CSRF_FIELD), str) else None)
        return data

    def draft_or_404(request: Request) -> Any:
        found = engine.draft(request.path_params["token"], owner(request))
        if found is None:
            raise PageError(404, "Draft not found",
                            "This draft is not in memory any more (drafts are kept for two "
                            "hours, in this browser session only). Check it again.")
        return found

    # -- pages ----------------------------------------------------------------------------

    async def home(request: Request) -> Response:
        return render(request, "check.html", catalogue=engine.catalogue)

    async def check(request: Request) -> Response:
        data = await form(request)
        upload = data.get("file")
        text = data.get("text") or ""
        references = [r for r in data.getlist("reference") if isinstance(r, str)]
        known = {a["id"] for a in engine.catalogue}
        if any(r not in known for r in references):
            raise PageError(400, "Unknown agreement", "A reference agreement chosen is not in "
                                                      "the workspace.")
        if isinstance(upload, UploadFile) and upload.filename:
            name = safe_name(upload.filename)
            content = await upload.read(limit + 1)
            await upload.close()
        elif isinstance(text, str) and text.strip():
            name, content = "pasted_draft.txt", text.encode("utf-8")
        else:
            raise PageError(400, "Nothing to check", "Paste the draft's text or choose a file.")
        if len(content) > limit:
            raise PageError(413, "File too large",
                            f"{name}: larger than the {_mb(limit)} limit of this app.")
        try:
            draft = await engine.run(engine.check, content, name, references, owner(request))
        except InputError as exc:
            raise PageError(400, "Cannot check this file",
                            f"{safe_name(exc.path)}: {exc.reason}") from None
        return RedirectResponse(f"/draft/{draft.token}", status_code=303)

    async def draft_page(request: Request) -> Response:
        draft = draft_or_404(request)
        view = await engine.run(views.draft_view, draft, {}, engine)
        return render(request, "draft.html", **view)

    def toggles_from(data: Any) -> Toggles:
        toggles: Toggles = {}
        for key in data.getlist("finding"):
            category, _, clause_id = str(key).partition("|")
            toggles[(category, clause_id)] = set()
        for value in data.getlist("mod"):
            category, clause_id, modifier = (str(value).split("|") + ["", ""])[:3]
            if (category, clause_id) in toggles:
                toggles[(category, clause_id)].add(modifier)
        return toggles

    async def whatif(request: Request) -> Response:
        draft = draft_or_404(request)
        if request.headers.get("content-type", "").startswith("application/json"):
            verify(request, request.headers.get(CSRF_HEADER))
            body = await request.body()
            if len(body) > 256 * 1024:
                raise PageError(413, "Request too large", "Too many toggles.")
            try:
                posted = json.loads(body)
                toggles = {(str(f["category"]), str(f["clause_id"])): {str(m) for m in f["mods"]}
                           for f in posted["findings"]}
            except (ValueError, KeyError, TypeError) as exc:
                raise PageError(400, "Request not understood", "Bad what-if request.") from exc
            scores = await engine.run(views.scores_view, draft, _valid(toggles), engine)
            return JSONResponse(scores)
        data = await form(request)
        toggles = toggles_from(data)
        view = await engine.run(views.draft_view, draft, toggles, engine)
        return render(request, "draft.html", **view)

    def _valid(toggles: Toggles) -> Toggles:
        known = engine.pipeline.taxonomy.modifiers
        return {k: {m for m in v if m in known} for k, v in toggles.items()}

    async def export(request: Request) -> Response:
        draft = draft_or_404(request)
        data = await form(request)
        toggles = _valid(toggles_from(data))
        fmt = request.path_params["fmt"]
        stem = safe_name(draft.report["agreement"]["id"], "draft")
        if fmt == "json":
            report = await engine.run(rescored_report, draft, toggles, engine.pipeline)
            return _download(json.dumps(report, indent=2, ensure_ascii=False),
                             "application/json", f"{stem}.json")
        if fmt == "md":
            from tradelens.report.markdown import render_agreement

            report = await engine.run(rescored_report, draft, toggles, engine.pipeline)
            return _download(render_agreement(report), "text/markdown; charset=utf-8",
                             f"{stem}.md")
        if fmt == "docx":
            from tradelens.serve.word import draft_docx

            def build() -> bytes:
                view = views.draft_view(draft, toggles, engine)
                findings = views.toggled_findings(draft, toggles, engine)
                return draft_docx(draft, view, findings, engine.pipeline.taxonomy)

            return _download(await engine.run(build),
                             "application/vnd.openxmlformats-officedocument."
                             "wordprocessingml.document", f"{stem}-tradelens.docx")
        raise PageError(404, "Not found", "No such export format.")

    async def save(request: Request) -> Response:
        draft = draft_or_404(request)
        await form(request)
        if draft.report["agreement"]["id"] in {a["id"] for a in engine.catalogue} \
                and not draft.saved:
            raise PageError(409, "Id already used",
                            f"{draft.name}: an agreement with the id "
                            f"'{draft.report['agreement']['id']}' is already in the workspace; "
                            "give the draft an 'Id:' header or another file name.")
        if not draft.saved:
            await engine.run(engine.save, draft)
        return RedirectResponse(f"/draft/{draft.token}?saved=1", status_code=303)

    async def forget(request: Request) -> Response:
        draft = draft_or_404(request)
        await form(request)
        engine.forget(draft.token, owner(request))
        return RedirectResponse("/", status_code=303)

    async def workspace(request: Request) -> Response:
        q = request.query_params
        filters = _filters(q)
        rows = [a for a in engine.catalogue if views.matches_filters(a, **filters)]
        rows.sort(key=lambda a: (a["score"], a["id"]))
        return render(request, "workspace.html", rows=rows, total=len(engine.catalogue),
                      filters=filters, categories=_category_labels())

    async def search(request: Request) -> Response:
        q = request.query_params
        filters = _filters(q)
        query = (q.get("q") or "").strip()[:2000]
        hits: list[dict[str, Any]] = []
        if query:
            k = 10
            fetched = await engine.run(engine.search, query, k * 5,
                                       filters["category"] or None,
                                       filters["year_from"], filters["year_to"])
            parties = {a["id"]: a for a in engine.catalogue}
            for hit in fetched:
                summary = parties.get(hit["agreement_id"])
                if summary is None or not views.matches_filters(
                        summary, filters["party"], None, None, "", ""):
                    continue
                strengths = engine.finding_strength.get(hit["clause_id"], {})
                if filters["strength"] and filters["strength"] not in (
                        [strengths.get(filters["category"])] if filters["category"]
                        else strengths.values()):
                    continue
                hit["strengths"] = strengths
                hits.append(hit)
            hits = hits[:k]
        return render(request, "search.html", query=query, hits=hits, filters=filters,
                      categories=_category_labels())

    async def compare(request: Request) -> Response:
        ids = list(dict.fromkeys(request.query_params.getlist("id")))[:MAX_COMPARED]
        if len(ids) < 2:
            raise PageError(400, "Pick two or more", "Tick at least two agreements on the "
                                                     "workspace page to compare them.")
        reports = [await engine.run(engine.report, i) for i in ids]
        if any(r is None for r in reports):
            raise PageError(404, "Unknown agreement", "An agreement asked for is not in the "
                                                      "workspace.")
        data = views.compare_view(reports)  # type: ignore[arg-type]
        fmt = request.query_params.get("format")
        if fmt == "json":
            return _download(json.dumps(data, indent=2, ensure_ascii=False),
                             "application/json", "comparison.json")
        if fmt == "md":
            from tradelens.report.markdown import render_agreement

            return _download("\n\n".join(render_agreement(r) for r in reports),  # type: ignore[arg-type]
                             "text/markdown; charset=utf-8", "comparison.md")
        return render(request, "compare.html", data=data, ids=ids)

    def _category_labels() -> dict[str, str]:
        taxonomy = engine.pipeline.taxonomy
        return {c: taxonomy.categories[c].label for c in taxonomy.categories}

    def _filters(q: Any) -> dict[str, Any]:
        category = q.get("category") or ""
        strength = q.get("strength") or ""
        return {"party": (q.get("party") or "").strip()[:100],
                "year_from": _year(q.get("year_from")), "year_to": _year(q.get("year_to")),
                "category": category if category in engine.pipeline.taxonomy.categories
                else "",
                "strength": strength if strength in ("hard", "soft", "none") else ""}

    # -- errors ---------------------------------------------------------------------------

    async def page_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, PageError)
        return render(request, "error.html", status=exc.status, title=exc.title,
                      message=exc.message)

    async def http_error(request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 500)
        title = "Not found" if status == 404 else "Request refused"
        return render(request, "error.html", status=status, title=title,
                      message="There is no page here." if status == 404
                      else "The request was not accepted.")

    async def internal_error(request: Request, exc: Exception) -> Response:
        if isinstance(exc, TradeLensError):
            message = str(exc).replace(str(settings.store_dir), "the workspace")
        else:
            log.exception("unexpected error on %s", request.url.path)
            message = "Something went wrong inside TradeLens; the details are in the " \
                      "server's log, not here."
        return render(request, "error.html", status=500, title="Internal error",
                      message=message)

    @asynccontextmanager
    async def lifespan(_app: Starlette):  # noqa: ANN202 - an async context manager
        engine.start()
        try:
            yield
        finally:
            engine.stop()

    static = resources.files("tradelens.serve").joinpath("static")
    site_assets = resources.files("tradelens.report").joinpath("assets")
    routes = [
        Route("/", home),
        Route("/check", check, methods=["POST"]),
        Route("/draft/{token}", draft_page),
        Route("/draft/{token}/whatif", whatif, methods=["POST"]),
        Route("/draft/{token}/export/{fmt}", export, methods=["POST"]),
        Route("/draft/{token}/save", save, methods=["POST"]),
        Route("/draft/{token}/forget", forget, methods=["POST"]),
        Route("/workspace", workspace),
        Route("/search", search),
        Route("/compare", compare),
        Mount("/static", StaticFiles(directory=str(static)), name="static"),
        Mount("/assets", StaticFiles(directory=str(site_assets)), name="assets"),
    ]
    middleware = [
        Middleware(TrustedHostMiddleware,
                   allowed_hosts=allowed_hosts or ["127.0.0.1", "localhost", "[::1]"]),
        Middleware(SessionHeaders),
    ]
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan,
                    exception_handlers={PageError: page_error, HTTPException: http_error,
                                        Exception: internal_error})
    app.state.engine = engine
    return app


def _year(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) == 4 else None


def _download(body: str | bytes, media_type: str, filename: str) -> Response:
    return Response(body, media_type=media_type,
                    headers={"content-disposition": f'attachment; filename="{filename}"'})


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the app with uvicorn until interrupted."""
    import uvicorn

    hosts = ["127.0.0.1", "localhost", "[::1]"]
    if host not in ("127.0.0.1", "localhost", "::1"):
        hosts.append(host)
    uvicorn.run(create_app(settings, allowed_hosts=hosts), host=host, port=port,
                log_level="info", server_header=False)
