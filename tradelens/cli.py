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
from typing import Any, NoReturn

import click

from tradelens import __version__
from tradelens.errors import InputError, SetupError, TradeLensError

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
                  weights_file: Path | None = None, progress: bool = False):  # noqa: ANN202
    """The configured session, or exit 2 with a one-line error (set-up problems)."""
    from tradelens.api import open_session

    try:
        return open_session(store_dir, model_path, taxonomy_dir, weights_file, progress)
    except TradeLensError as error:
        _fail(error, 2)


def _fail(error: TradeLensError | str, code: int) -> NoReturn:
    click.echo(f"error: {error}", err=True)
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
               else render(data))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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
@click.option("--quiet", "-q", is_flag=True, help="No progress bar or summary.")
def analyse(paths: tuple[Path, ...], out_dir: Path, formats: list[str], store_dir: Path,
            model_path: Path | None, taxonomy_dir: Path | None, weights_file: Path | None,
            workers: int, executor: str | None, scheduler: str | None, force: bool,
            quiet: bool) -> None:
    """Analyse agreements (files or directories) and write one report per agreement."""
    from tradelens.batch import default_workers
    from tradelens.cluster import chosen_executor

    kind = executor or ("dask" if scheduler else "processes")
    if scheduler and kind != "dask":
        raise click.UsageError("--scheduler needs --executor dask")

    def report_failure(error: InputError) -> None:
        click.echo(f"error: {error}", err=True)

    session = _open_session(store_dir, model_path, taxonomy_dir, weights_file,
                            progress=not quiet)
    try:
        with chosen_executor(kind, workers or default_workers(), scheduler) as (count, pool):
            result = session.analyse_paths(list(paths), out_dir, formats, force=force,
                                           progress=not quiet, on_failure=report_failure,
                                           workers=count, executor=pool)
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
    from tradelens.text.segment import segment as split_clauses

    try:
        document = read_document(file)
    except InputError as error:
        _fail(error, 1)
    tree = clause_tree(document, split_clauses(document))
    if fmt == "json":
        click.echo(json.dumps(tree, ensure_ascii=False, indent=2))
    else:
        click.echo(render_table(tree, width=shutil.get_terminal_size((100, 20)).columns))


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


@main.command("eval")
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path),
                default=Path("tests/data/eval"))
@_workspace_options
@click.option("--errors", "show_errors", is_flag=True, help="List every misclassified clause.")
@click.option("--fail-under", type=click.FloatRange(0, 1), default=None,
              help="Exit 1 if a core category's precision or recall, or strength accuracy, "
                   "is below this.")
def evaluate(directory: Path, store_dir: Path, model_path: Path | None,
             taxonomy_dir: Path | None, show_errors: bool, fail_under: float | None) -> None:
    """Measure the classifier on a labelled clause set (default: tests/data/eval): precision,
    recall and strength accuracy per category, confusion tables, modifier detection."""
    from tradelens.commands.evaluate import evaluate_directory

    try:
        text, worst = evaluate_directory(directory, store_dir, model_path, taxonomy_dir,
                                         show_errors)
    except TradeLensError as error:
        _fail(error, 2)
    click.echo(text)
    if fail_under is not None and worst < fail_under:
        click.echo(f"FAIL: lowest headline figure {worst:.3f} is under {fail_under}", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
