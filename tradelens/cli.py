"""The `tradelens` command line: parse arguments, call the pipeline, print.

Heavy libraries (torch, sentence-transformers, spaCy, FAISS) are imported inside the
commands that need them, so `tradelens --help` and `--version` answer at once.

Exit codes: 0 success; 1 some inputs failed (the others were still analysed and
reported); 2 usage or set-up error.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from tradelens import __version__
from tradelens.errors import InputError, SetupError, TradeLensError, printable

if TYPE_CHECKING:
    from tradelens.commands.train import Recipe

DEFAULT_STORE = Path(".tradelens")  # the same as tradelens.session.DEFAULT_STORE
#: Larger batches are summarised by category; their per-agreement lines are in index.md.
_LIST_AT_MOST = 30


def _formats(_ctx: click.Context, _param: click.Parameter, value: str) -> list[str]:
    from tradelens.report import FORMATS

    chosen = [v.strip().lower() for v in value.split(",") if v.strip()]
    unknown = [v for v in chosen if v not in FORMATS]
    if unknown or not chosen:
        raise click.BadParameter(
            f"{', '.join(unknown) or 'nothing'} (choose from {', '.join(FORMATS)})"
        )
    return chosen


def _workspace_options(command: Callable[..., None]) -> Callable[..., None]:
    """--store, --model and --taxonomy, shared by the commands that classify."""
    for option in reversed((
        click.option("--store", "store_dir", type=click.Path(file_okay=False, path_type=Path),
                     default=DEFAULT_STORE, show_default=True,
                     help="Workspace directory (SQLite store, embedding cache, FAISS index)."),
        click.option("--model", "model_path", type=click.Path(path_type=Path), default=None,
                     help="A sentence-transformers model directory "
                          "(default: bundled all-MiniLM-L6-v2)."),
        click.option("--taxonomy", "taxonomy_dir",
                     type=click.Path(file_okay=False, path_type=Path), default=None,
                     help="A clause taxonomy directory (default: the bundled one)."),
    )):
        command = option(command)
    return command


_weights_option = click.option(
    "--weights", "weights_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="YAML file overriding the taxonomy's scoring weights (see docs/methodology.md).")


def _open_session(store_dir: Path, model_path: Path | None, taxonomy_dir: Path | None,
                  weights_file: Path | None = None, progress: bool = False,
                  ocr: str = "auto"):  # noqa: ANN202
    """The configured session, or exit 2 with a one-line error (set-up problems)."""
    from tradelens.api import open_session

    _remember_store(store_dir)
    try:
        return open_session(store_dir, model_path, taxonomy_dir, weights_file, progress,
                            ocr=ocr)
    except TradeLensError as error:
        _fail(error, 2)


def _remember_store(store_dir: Path) -> None:
    """Note the workspace a command opens, for the message if its database fails later."""
    click.get_current_context().meta["tradelens.store"] = store_dir


class _Main(click.Group):
    """The command group: a workspace database that fails mid-command (a damaged page)
    is one line naming it and the recovery command, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        import sqlite3

        try:
            return super().invoke(ctx)
        except sqlite3.DatabaseError as exc:
            from tradelens.errors import damaged_workspace

            store = Path(ctx.meta.get("tradelens.store", DEFAULT_STORE))
            _fail(damaged_workspace(store / "tradelens.sqlite", exc), 2)


def _fail(error: TradeLensError | str, code: int) -> NoReturn:
    message = str(error) if isinstance(error, InputError) else printable(str(error))
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def _answer(resource: Any, work: Callable[[], Any], fmt: str,
            render: Callable[[Any], str]) -> None:
    """Run `work`, close the session or workspace it used, print JSON or text. An input
    problem is one line on stderr and exit 1; a set-up problem exit 2."""
    import json

    try:
        data = work()
    except SetupError as error:
        _fail(error, 2)
    except TradeLensError as error:
        _fail(error, 1)
    finally:
        resource.close()
    click.echo(json.dumps(data, ensure_ascii=False, indent=2) if fmt == "json"
               else _terminal_safe(render(data)))


def _terminal_safe(text: str) -> str:
    """Rendered text whose lines may quote documents: control characters and escape
    sequences in a title or clause are shown escaped, never sent to the terminal."""
    return "\n".join(printable(line) for line in text.split("\n"))


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tradelens")
def main() -> None:
    """TradeLens reads trade agreements and reports how much policy space they leave a
    government on data flows, server location and source code, with the clauses as evidence.
    """


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("reports"), show_default=True, help="Where reports are written.")
@click.option("--format", "formats", default="json,md,csv", show_default=True,
              callback=_formats, help="Comma-separated: json, md, csv, html (the scorecard site).")
@_workspace_options
@_weights_option
@click.option("--workers", type=click.IntRange(0, 64), default=0, show_default=True,
              help="Worker processes for a batch (0: one per core; 1: no pool).")
@click.option("--executor", type=click.Choice(["local", "processes", "dask"]),
              default=None, help="Where files are analysed: this process, a local process "
              "pool (the default), or Dask (a local cluster of --workers, or --scheduler).")
@click.option("--scheduler", metavar="ADDRESS", default=None,
              help="A running Dask scheduler, e.g. tcp://10.0.0.5:8786 (implies "
                   "--executor dask; workers must see the inputs and --store at the same paths).")
@click.option("--force", is_flag=True, help="Re-analyse files even if the store has them.")
@click.option("--full-paths", is_flag=True,
              help="Write each input's full path in the reports (default: the file name "
                   "only, so published reports do not show the folders of this machine).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar or summary.")
@click.option("--ocr", type=click.Choice(["auto", "always", "never"]), default="auto",
              show_default=True, help="OCR PDF pages: those without a text layer (auto), "
                                      "every page (always), or none (never).")
def analyse(paths: tuple[Path, ...], out_dir: Path, formats: list[str], store_dir: Path,
            model_path: Path | None, taxonomy_dir: Path | None, weights_file: Path | None,
            workers: int, executor: str | None, scheduler: str | None, force: bool,
            full_paths: bool, quiet: bool, ocr: str) -> None:
    """Analyse agreements (files or directories) and write one report per agreement."""
    from tradelens.batch import default_workers
    from tradelens.cluster import chosen_executor
    from tradelens.report.writers import check_writable

    kind = executor or ("dask" if scheduler else "processes")
    if scheduler and kind != "dask":
        raise click.UsageError("--scheduler needs --executor dask")

    def report_failure(error: InputError) -> None:
        click.echo(f"error: {error}", err=True)

    try:
        check_writable(out_dir)
    except TradeLensError as error:
        _fail(error, 2)

    session = _open_session(store_dir, model_path, taxonomy_dir, weights_file,
                            progress=not quiet, ocr=ocr)
    try:
        with chosen_executor(kind, workers or default_workers(), scheduler) as (count, pool):
            result = session.analyse_paths(list(paths), out_dir, formats, force=force,
                                           progress=not quiet, on_failure=report_failure,
                                           workers=count, executor=pool,
                                           full_paths=full_paths)
    except SetupError as error:
        _fail(error, 2)
    except OSError as error:
        if not scheduler:
            raise
        _fail(f"cannot reach the Dask scheduler {scheduler}: {error}", 2)
    finally:
        session.close()
    if not quiet:
        click.echo(
            f"{len(result.reports)} agreements ({result.from_store} unchanged, from the store), "
            f"{result.clauses} clauses, {len(result.failures)} failed, "
            f"{result.seconds:.1f} s"
        )
        if len(result.reports) <= _LIST_AT_MOST:
            for report in sorted(result.reports, key=lambda r: r["policy_space"]["score"]):
                cats = report["categories"]
                click.echo(f"  {report['policy_space']['score']:5.1f}  "
                           f"{report['agreement']['id']}  "
                           + "  ".join(f"{c}={cats[c]['status']}" for c in cats))
        if result.reports:
            from tradelens.report.markdown import findings_by_category

            click.echo("agreements with findings: " + ", ".join(
                f"{c} {len(s['hard'])} hard + {len(s['soft'])} soft"
                for c, s in findings_by_category(result.reports).items()))
        if result.written:
            click.echo(f"reports written to {out_dir}/ ({len(result.written)} files)")
            if "md" in formats:
                click.echo(f"  summary: {out_dir / 'index.md'}")
    if result.failures or not result.reports:
        sys.exit(1)


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="A readable tree, or JSON for other tools.")
def segment(file: Path, fmt: str) -> None:
    """Show the clause tree of FILE (chapters, articles, paragraphs, sub-paragraphs) with
    clause ids, pages and source references, without analysing it."""
    import json

    from tradelens.text import read_document
    from tradelens.text.clause_tree import clause_tree, render_table
    from tradelens.text.limits import check_clauses, guarded_file
    from tradelens.text.segment import segment as split_clauses

    try:
        with guarded_file(file):
            document = read_document(file)
            clauses = split_clauses(document)
            check_clauses(file, len(clauses))
            tree = clause_tree(document, clauses)
    except InputError as error:
        _fail(error, 1)
    if fmt == "json":
        click.echo(json.dumps(tree, ensure_ascii=False, indent=2))
    else:
        click.echo(_terminal_safe(render_table(
            tree, width=shutil.get_terminal_size((100, 20)).columns)))


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--clause", "clause_id", default=None,
              help="One clause id (full, or the part after the agreement id): every "
                   "category's decision for it. Without it: every finding.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@_workspace_options
def explain(file: Path, clause_id: str | None, fmt: str, store_dir: Path,
            model_path: Path | None, taxonomy_dir: Path | None) -> None:
    """Show why each finding of FILE was made: the rule, the binding or soft wording, the
    nearest exemplars, the exceptions and scope limits linked to it and their points."""

    from tradelens.commands.explain import explain_file, render_text

    session = _open_session(store_dir, model_path, taxonomy_dir)
    _answer(session, lambda: explain_file(file, session.pipeline, clause_id), fmt, render_text)


@main.command()
@click.argument("agreements", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@_workspace_options
@_weights_option
def compare(agreements: tuple[str, ...], fmt: str, store_dir: Path, model_path: Path | None,
            taxonomy_dir: Path | None, weights_file: Path | None) -> None:
    """Compare agreements side by side, category by category, with the clauses that make
    the difference. Each of the two or more AGREEMENTS is a source file (unchanged files
    are answered from the store), a TradeLens report JSON file, or an agreement id stored
    in the workspace."""
    from tradelens.commands.compare import compare_reports, render_comparison
    from tradelens.commands.inputs import resolve_report

    if len(agreements) < 2:
        raise click.UsageError("compare needs at least two agreements")
    session = _open_session(store_dir, model_path, taxonomy_dir, weights_file)
    _answer(session, lambda: compare_reports([resolve_report(a, session) for a in agreements]),
            fmt, render_comparison)


@main.command()
@click.argument("draft", type=click.Path(path_type=Path))
@click.option("--against", "references", multiple=True, required=True,
              help="A reference agreement: source file, report JSON or stored id "
                   "(repeat for several).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@_workspace_options
@_weights_option
def check(draft: Path, references: tuple[str, ...], fmt: str, store_dir: Path,
          model_path: Path | None, taxonomy_dir: Path | None,
          weights_file: Path | None) -> None:
    """Check a DRAFT against reference agreements: each rule of the draft beside its
    closest precedent, what changed in strength, exceptions and scope, and the score of
    each bracketed option."""

    from tradelens.commands.check import check_draft, render_check
    from tradelens.commands.inputs import resolve_report

    session = _open_session(store_dir, model_path, taxonomy_dir, weights_file)
    _answer(session, lambda: check_draft(draft, [resolve_report(r, session)
                                                 for r in references], session.pipeline),
            fmt, render_check)


def _reader_options(command: Callable[..., None]) -> Callable[..., None]:
    """--format, --store and --model, shared by the commands that read a workspace."""
    for option in reversed((
        click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
                     show_default=True),
        click.option("--store", "store_dir", type=click.Path(file_okay=False, path_type=Path),
                     default=DEFAULT_STORE, show_default=True, help="Workspace directory."),
        click.option("--model", "model_path", type=click.Path(path_type=Path), default=None,
                     help="The model the workspace was built with (default: bundled MiniLM)."),
    )):
        command = option(command)
    return command


def _open_workspace(store_dir: Path, model_path: Path | None):  # noqa: ANN202
    from tradelens.workspace import open_workspace

    _remember_store(store_dir)
    try:
        workspace = open_workspace(store_dir, model_path)
        workspace.search  # noqa: B018 - opens the clause index now, so set-up errors exit 2
        return workspace
    except TradeLensError as error:
        _fail(error, 2)


@main.command("search")
@click.argument("query")
@click.option("-k", "k", type=click.IntRange(1, 1000), default=10, show_default=True,
              help="How many clauses to show.")
@click.option("--category", default=None, help="Only clauses that are findings of this "
                                               "category (e.g. server_location).")
@click.option("--year-from", type=int, default=None, help="Only agreements signed this year "
                                                          "or later.")
@click.option("--year-to", type=int, default=None, help="Only agreements signed this year "
                                                        "or earlier.")
@_reader_options
def search_command(query: str, k: int, category: str | None, year_from: int | None,
                   year_to: int | None, fmt: str, store_dir: Path,
                   model_path: Path | None) -> None:
    """The clauses of the workspace closest to QUERY (free text, or a clause id such as
    pta_449:a40220:p2), with their agreement, location, date and score."""
    from tradelens.commands.search import render_matches

    workspace = _open_workspace(store_dir, model_path)
    if category is not None:
        known = workspace.categories()
        if category not in known:
            workspace.close()
            raise click.BadParameter(f"unknown category '{category}' (known: "
                                     f"{', '.join(sorted(known))})", param_hint="--category")
    _answer(workspace,
            lambda: workspace.similar_clauses(query, k, category, year_from, year_to),
            fmt, render_matches)


@main.command()
@click.argument("clause_id")
@click.option("--threshold", type=click.FloatRange(0, 1), default=0.9, show_default=True,
              help="How similar an older clause must be to count as the same wording.")
@_reader_options
def lineage(clause_id: str, threshold: float, fmt: str, store_dir: Path,
            model_path: Path | None) -> None:
    """Where the wording of CLAUSE_ID came from: the older agreements of the workspace with
    near-identical clauses, oldest first, with dates and similarity."""

    from tradelens.commands.search import render_lineage

    workspace = _open_workspace(store_dir, model_path)
    _answer(workspace, lambda: workspace.lineage(clause_id, threshold), fmt, render_lineage)


@main.command()
@click.option("--store", "store_dir", type=click.Path(file_okay=False, path_type=Path),
              default=DEFAULT_STORE, show_default=True, help="Workspace directory.")
@click.option("--model", "model_path", type=click.Path(path_type=Path), default=None,
              help="The model the workspace was built with (default: bundled MiniLM).")
@click.option("--repair", is_flag=True, help="Rebuild the clause index, upgrade the schema, "
                                             "delete orphan rows.")
def doctor(store_dir: Path, model_path: Path | None, repair: bool) -> None:
    """Check a workspace: database integrity, schema version, orphan rows, stored reports,
    and the clause index against the store. Exit 1 if a problem is left."""
    from tradelens.workspace.doctor import diagnose, render

    _remember_store(store_dir)
    try:
        checks = diagnose(store_dir, repair, model_path)
    except SetupError as error:
        _fail(error, 2)
    click.echo(render(store_dir, checks))
    if not all(check.ok for check in checks):
        sys.exit(1)


#: The labelled sets `tradelens train` reads (their development files) when no directory is
#: named; tests/data/train is read only when named (docs/evaluation.md says why).
_TRAINING_SETS = (("in-domain", Path("tests/data/eval")),
                  ("out-of-domain", Path("tests/data/eval_ood")))
#: What `tradelens eval` reports by default: those, and every blind set written without
#: sight of the classifier and read once to judge a change before it joined this list
#: (README.md's paragraph on `tradelens eval` says what each is made of; each folder's
#: README.md and BRIEF.md say how it was written). A blind set not yet read is kept out of
#: this list, read only when named, until a decision is judged on it, so that no
#: development run shows its figures; the reserves now are tests/data/eval_blind62/ and
#: eval_blind63/.
_EVAL_SETS = (*_TRAINING_SETS, ("blind", Path("tests/data/eval_blind")),
              ("second blind", Path("tests/data/eval_blind2")),
              ("third blind", Path("tests/data/eval_blind3")),
              ("fourth blind", Path("tests/data/eval_blind4")),
              ("fifth blind", Path("tests/data/eval_blind5")),
              ("sixth blind", Path("tests/data/eval_blind6")),
              ("seventh blind", Path("tests/data/eval_blind7")),
              ("eighth blind", Path("tests/data/eval_blind8")),
              ("ninth blind", Path("tests/data/eval_blind9")),
              ("tenth blind", Path("tests/data/eval_blind10")),
              ("eleventh blind", Path("tests/data/eval_blind11")),
              ("twelfth blind", Path("tests/data/eval_blind12")),
              ("thirteenth blind", Path("tests/data/eval_blind13")),
              ("fourteenth blind", Path("tests/data/eval_blind14")),
              ("fifteenth blind", Path("tests/data/eval_blind15")),
              ("sixteenth blind", Path("tests/data/eval_blind16")),
              ("seventeenth blind", Path("tests/data/eval_blind17")),
              ("eighteenth blind", Path("tests/data/eval_blind18")),
              ("nineteenth blind", Path("tests/data/eval_blind19")),
              ("twentieth blind", Path("tests/data/eval_blind20")),
              ("twenty-first blind", Path("tests/data/eval_blind21")),
              ("twenty-second blind", Path("tests/data/eval_blind22")),
              ("twenty-third blind", Path("tests/data/eval_blind23")),
              ("twenty-fourth blind", Path("tests/data/eval_blind24")),
              ("twenty-fifth blind", Path("tests/data/eval_blind25")),
              ("twenty-sixth blind", Path("tests/data/eval_blind26")),
              ("twenty-seventh blind", Path("tests/data/eval_blind27")),
              ("twenty-eighth blind", Path("tests/data/eval_blind28")),
              ("twenty-ninth blind", Path("tests/data/eval_blind29")),
              ("thirtieth blind", Path("tests/data/eval_blind30")),
              ("thirty-first blind", Path("tests/data/eval_blind31")),
              ("thirty-second blind", Path("tests/data/eval_blind32")),
              ("thirty-third blind", Path("tests/data/eval_blind33")),
              ("thirty-fourth blind", Path("tests/data/eval_blind34")),
              ("thirty-fifth blind", Path("tests/data/eval_blind35")),
              ("thirty-sixth blind", Path("tests/data/eval_blind36")),
              ("thirty-seventh blind", Path("tests/data/eval_blind37")),
              ("thirty-eighth blind", Path("tests/data/eval_blind38")),
              ("thirty-ninth blind", Path("tests/data/eval_blind39")),
              ("fortieth blind", Path("tests/data/eval_blind40")),
              ("forty-first blind", Path("tests/data/eval_blind41")),
              ("forty-second blind", Path("tests/data/eval_blind42")),
              ("forty-third blind", Path("tests/data/eval_blind43")),
              ("forty-fourth blind", Path("tests/data/eval_blind44")),
              ("forty-fifth blind", Path("tests/data/eval_blind45")),
              ("forty-sixth blind", Path("tests/data/eval_blind46")),
              ("forty-seventh blind", Path("tests/data/eval_blind47")),
              ("forty-eighth blind", Path("tests/data/eval_blind48")),
              ("forty-ninth blind", Path("tests/data/eval_blind49")),
              ("fiftieth blind", Path("tests/data/eval_blind50")),
              ("fifty-first blind", Path("tests/data/eval_blind51")),
              ("fifty-second blind", Path("tests/data/eval_blind52")),
              ("fifty-third blind", Path("tests/data/eval_blind53")),
              ("fifty-fourth blind", Path("tests/data/eval_blind54")),
              ("fifty-fifth blind", Path("tests/data/eval_blind55")),
              ("fifty-sixth blind", Path("tests/data/eval_blind56")),
              ("fifty-seventh blind", Path("tests/data/eval_blind57")),
              ("fifty-eighth blind", Path("tests/data/eval_blind58")),
              ("fifty-ninth blind", Path("tests/data/eval_blind59")),
              ("sixtieth blind", Path("tests/data/eval_blind60")),
              ("sixty-first blind", Path("tests/data/eval_blind61")))


@main.command("eval")
@click.argument("directories", nargs=-1,
                type=click.Path(file_okay=False, exists=True, path_type=Path))
@_workspace_options
@click.option("--split", "splits", multiple=True,
              help="Only these splits (dev, test, heldout, corpus, blind to blind63); repeat "
                   "for several.")
@click.option("--tota", "tota_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="The ToTA XML folder for ToTA-referenced items "
                                 "(default: ../shared/corpora/tota/xml beside the repository).")
@click.option("--errors", "show_errors", is_flag=True, help="List every misclassified clause.")
@click.option("--fail-under", type=click.FloatRange(0, 1), default=None,
              help="Exit 1 if a core category's precision or recall, or strength accuracy, "
                   "is below this.")
def evaluate(directories: tuple[Path, ...], store_dir: Path, model_path: Path | None,
             taxonomy_dir: Path | None, splits: tuple[str, ...], tota_dir: Path | None,
             show_errors: bool, fail_under: float | None) -> None:
    """Measure the classifier on labelled clause sets: precision, recall and strength
    accuracy per category, confusion tables, modifier detection, by split and language.
    Default: the in-domain set (tests/data/eval), the out-of-domain set
    (tests/data/eval_ood) and the sixty-one blind sets already read once (tests/data/
    eval_blind to eval_blind61), reported separately; reserves only when named."""
    from tradelens.commands.evaluate import default_tota_dir, evaluate_sets

    sets = ([(str(d), d) for d in directories] if directories
            else [(title, d) for title, d in _EVAL_SETS if d.is_dir()])
    if not sets:
        raise click.UsageError("no evaluation set here; name a directory")
    try:
        text, worst = evaluate_sets(sets, store_dir, model_path, taxonomy_dir, show_errors,
                                    set(splits) or None, tota_dir or default_tota_dir())
    except TradeLensError as error:
        _fail(error, 2)
    click.echo(text)
    if fail_under is not None and worst < fail_under:
        click.echo(f"FAIL: lowest headline figure {worst:.3f} is under {fail_under}", err=True)
        sys.exit(1)


@main.command()
@_workspace_options
@_weights_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to listen on (keep the loopback default on a shared machine).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--max-upload-mb", type=click.FloatRange(0.01, 200), default=10.0,
              show_default=True, help="Largest draft accepted, upload or pasted text.")
def serve(store_dir: Path, model_path: Path | None, taxonomy_dir: Path | None,
          weights_file: Path | None, host: str, port: int, max_upload_mb: float) -> None:
    """The negotiator's workbench: a local web app to check a draft, try what-if changes,
    compare and search the workspace (docs/serve.md)."""
    from tradelens.serve import run

    try:
        run(store_dir, model_path, taxonomy_dir, weights_file, host, port,
            int(max_upload_mb * 2**20))
    except TradeLensError as error:
        _fail(error, 2)


@main.command()
@click.argument("country")
@click.option("--store", "store_dir", type=click.Path(file_okay=False, path_type=Path),
              default=DEFAULT_STORE, show_default=True, help="Workspace directory.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text",
              show_default=True)
@click.option("--on", "on_date", default=None, metavar="YYYY-MM-DD",
              help="Read 'in force today' as of this date (default: today).")
def ledger(country: str, store_dir: Path, fmt: str, on_date: str | None) -> None:
    """The policy-space ledger of COUNTRY (ISO3 code or name): per category, since when
    and by which agreement and clause it is bound, towards which partners, with which
    exceptions kept; the strongest commitment in force; the agreements that leave it open.
    Exit codes: 0 shown; 1 the workspace has no agreement of COUNTRY; 2 unknown country,
    bad date or no workspace."""
    from tradelens.commands.ledger import run_ledger

    sys.exit(run_ledger(country, store_dir, fmt, on_date))


@main.command()
@click.option("--store", "store_dir", type=click.Path(file_okay=False, path_type=Path),
              default=DEFAULT_STORE, show_default=True, help="Workspace directory.")
@click.option("--to", "to_dir", type=click.Path(file_okay=False, path_type=Path),
              required=True, help="Directory for the tables.")
@click.option("--format", "formats", default="csv,parquet", show_default=True,
              help="Comma-separated: csv, parquet.")
@click.option("--until", type=click.IntRange(1900, 2200), default=None,
              help="Last year of the panel (default: this year).")
def export(store_dir: Path, to_dir: Path, formats: str, until: int | None) -> None:
    """Write the research tables of a workspace (agreements, parties, findings, and the
    country x partner x year x category panel) as CSV and Parquet; see docs/data.md."""
    from tradelens.report.export import run_export

    sys.exit(run_export(store_dir, to_dir, formats, until))


@main.command()
@click.argument("directories", nargs=-1,
                type=click.Path(file_okay=False, exists=True, path_type=Path))
@_workspace_options
@click.option("--to", "out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the model, a .npz file; its card is written beside it as "
                   "topic_model.json (default: inside the package, where the pipeline "
                   "loads it).")
@click.option("--background", type=click.Path(file_okay=False, exists=True, path_type=Path),
              default=None, help="Unlabelled agreements for the first pass's language centres "
                                 "and the topic screen (default: the ToTA corpus beside the "
                                 "repository, if there).")
@click.option("--screen-only", is_flag=True,
              help="Keep the model's weights; refit only its topic screen (the labelled "
                   "sets' training clauses then feed the screen's margin).")
@click.option("--commitment-only", is_flag=True,
              help="Keep the model's weights and screen; refit only its learned commitment "
                   "reader (on the named sets' training files and every read blind set).")
@click.option("--multilingual-only", is_flag=True,
              help="Refit only the head that decides Spanish and French, on the material "
                   "--read-blind, --corpus-examples and --unbalanced name; the English "
                   "head, centres, English screen and commitment reader are kept. The model "
                   "refitted is the one at --to if there, else the shipped one.")
@click.option("--read-blind", is_flag=True,
              help="Also train on every item of the blind sets `tradelens eval` reports by "
                   "default (each already read once; never the reserve): their figures "
                   "then say nothing about unseen text.")
@click.option("--corpus-examples", is_flag=True,
              help="Also train on the clauses the first pass keeps (or the model finds) "
                   "in half of the background agreements, labelled by the model in use; "
                   "agreements any labelled set's held-out or test items cite are left "
                   "out.")
@click.option("--unbalanced", is_flag=True,
              help="Fit without weighing the classes inversely to their counts.")
@click.option("--reader-from", "reader_from", multiple=True,
              type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="A blind set already read that the commitment reader learns from, "
                   "instead of every one (repeat for several); a reserve is refused.")
def train(directories: tuple[Path, ...], store_dir: Path, model_path: Path | None,
          taxonomy_dir: Path | None, out: Path | None, background: Path | None,
          screen_only: bool, commitment_only: bool, multilingual_only: bool,
          read_blind: bool, corpus_examples: bool, unbalanced: bool,
          reader_from: tuple[Path, ...]) -> None:
    """Train the learned topic decision on the labelled sets' development files (default:
    tests/data/eval and tests/data/eval_ood; held-out and test files are never read; name
    tests/data/train too for its training-only clauses) and the taxonomy's exemplars, the
    first pass's language centres, the topic screen and the learned commitment reader
    (which also reads every blind set already read, or those --reader-from names); prints
    its cross-validated figures. A workspace (--store) holding the background's vectors
    makes the screen fast."""
    from tradelens.commands.evaluate import default_tota_dir
    from tradelens.commands.train import (
        refit_commitment,
        refit_multilingual,
        refit_screen,
        render_card,
    )
    from tradelens.commands.train import train as fit

    if out is not None and out.suffix != ".npz":
        # The card is written beside the model as topic_model.json: a --to of that name
        # used to have the card overwrite the model just written.
        raise click.BadParameter(f"{out.name}: the model is a NumPy archive, written with "
                                 "its card (topic_model.json) beside it; name a .npz file",
                                 param_hint="--to")
    parts = [flag for flag, given in (("--screen-only", screen_only),
                                      ("--commitment-only", commitment_only),
                                      ("--multilingual-only", multilingual_only)) if given]
    if len(parts) > 1:
        raise click.UsageError(f"{' and '.join(parts)} each refit one part: "
                               "run them one after the other")
    only = "--screen-only" if screen_only else "--commitment-only" if commitment_only else None
    if only:
        for flag, given in (("--read-blind", read_blind),
                            ("--corpus-examples", corpus_examples),
                            ("--unbalanced", unbalanced)):
            if given:
                raise click.UsageError(f"{flag} changes the weights; {only} keeps them")
    chosen = list(directories) or [d for _, d in _TRAINING_SETS if d.is_dir()]
    if not chosen:
        raise click.UsageError("no labelled sets here (tests/data/eval, tests/data/eval_ood): "
                               "name their directories or run from the repository")
    if read_blind and not _read_blind_sets():
        raise click.UsageError("--read-blind finds no blind sets here (tests/data/"
                               "eval_blind...): run from the repository")
    if reader_from and (screen_only or multilingual_only):
        raise click.UsageError("--reader-from names the commitment reader's material; "
                               f"{'--screen-only' if screen_only else '--multilingual-only'} "
                               "keeps the reader")
    reader_sets = _reader_sets(reader_from)
    if commitment_only and background is not None:
        raise click.UsageError("--commitment-only reads the labelled sets only, not "
                               "--background")
    if multilingual_only and background is not None and not corpus_examples:
        raise click.UsageError("--multilingual-only reads --background only for "
                               "--corpus-examples (the centres and screen are kept)")
    session = _open_session(store_dir, model_path, taxonomy_dir)
    if commitment_only:
        _answer(session, lambda: refit_commitment(session.pipeline, chosen,
                                                  list(reader_sets), out),
                "text", render_card)
        return
    background = background or default_tota_dir()
    if screen_only:
        if background is None:
            raise click.UsageError("--screen-only needs --background (no ToTA corpus found)")
        _answer(session, lambda: refit_screen(session.pipeline, chosen, background, out,
                                              progress=sys.stderr.isatty()), "text",
                render_card)
        return
    recipe = _recipe(read_blind, corpus_examples, unbalanced, reader_sets)
    if multilingual_only:
        _answer(session, lambda: refit_multilingual(session.pipeline, chosen, recipe,
                                                    background, out,
                                                    progress=sys.stderr.isatty()),
                "text", render_card)
        return
    _answer(session, lambda: fit(session.pipeline, chosen, out, background, recipe=recipe,
                                 progress=sys.stderr.isatty()), "text", render_card)


def _recipe(read_blind: bool, corpus_examples: bool, unbalanced: bool,
            reader_sets: tuple[Path, ...] = ()) -> Recipe:
    """`tradelens train`'s options as a training recipe; the corpus examples leave out
    what any labelled set `tradelens eval` knows cites, whichever sets are named. The
    commitment reader learns from `reader_sets`, or else every read blind set."""
    from tradelens.commands.train import Recipe

    return Recipe(read_blind=_read_blind_sets() if read_blind else (),
                  corpus=corpus_examples, balanced=not unbalanced,
                  cited_from=tuple(d for _, d in _EVAL_SETS if d.is_dir()),
                  commitment_from=reader_sets or _read_blind_sets())


def _reader_sets(named: tuple[Path, ...]) -> tuple[Path, ...]:
    """The blind sets the commitment reader learns from: those named, each one already
    read (a reserve, or any other folder, is refused: the reader must never see a set
    before its judged reading), or else every read one."""
    read = _read_blind_sets()
    known = {d.resolve() for d in read}
    for directory in named:
        if directory.resolve() not in known:
            raise click.BadParameter(f"{directory}: not a blind set already read (the "
                                     "reserve and other folders are refused)",
                                     param_hint="--reader-from")
    return tuple(named) or read


def _read_blind_sets() -> tuple[Path, ...]:
    """The blind sets that have had their judged reading: those `tradelens eval` reports
    by default (the reserve is not among them)."""
    return tuple(d for title, d in _EVAL_SETS if "blind" in title and d.is_dir())


if __name__ == "__main__":
    main()
