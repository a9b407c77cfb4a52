"""The house plan holds: imports run one way, and the clause that decides a category is
carried as data from the scorer to the JSON, the site and `compare`."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli

PACKAGE = ROOT / "tradelens"


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """Module -> the tradelens modules it imports (anywhere in its source, including
    imports inside functions and TYPE_CHECKING blocks), from the source itself."""
    modules = {_module(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(up + ([base] if base else []))
                targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
            else:
                continue
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                # a module importing its own package's __init__ (or the top package, for
                # __version__) is not an edge of the pipeline
                if target and target != name and not name.startswith(target + "."):
                    graph[name].add(target)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a list of modules, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return None


def test_no_import_cycle_inside_the_package():
    graph = import_graph()
    assert "tradelens.analysis" in graph and "tradelens.batch" in graph
    assert find_cycle(graph) is None, " -> ".join(find_cycle(graph) or [])


def test_the_cycle_finder_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_stages_import_only_down_the_pipeline():
    """Readers know nothing of vectors or classification; nothing below the CLI imports it;
    the analysis of one document imports neither the batch nor the workspace."""
    graph = import_graph()

    def reaches(start: str, prefix: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            node = todo.pop()
            for nxt in graph[node] - seen:
                if nxt.startswith(prefix):
                    return True
                seen.add(nxt)
                todo.append(nxt)
        return False

    for module in graph:
        if module.startswith("tradelens.text"):
            assert not reaches(module, "tradelens.vectors"), module
            assert not reaches(module, "tradelens.classify"), module
        if module != "tradelens.cli":
            assert "tradelens.cli" not in graph[module], module
    for below in ("tradelens.batch", "tradelens.workspace", "tradelens.session"):
        assert not reaches("tradelens.analysis", below)
    assert not reaches("tradelens.score", "tradelens.report")


#: One article whose p1 (a telecommunications-only rule) is listed before p10 (an
#: economy-wide rule) with the same capped score, so that p10 decides the category.
DECIDED_BY_P10 = ROOT / "tests" / "data" / "decided_by_p10.txt"


@pytest.fixture(scope="module")
def p10_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict]:
    base = tmp_path_factory.mktemp("p10")
    source = base / "ten_paragraphs.txt"
    source.write_text(DECIDED_BY_P10.read_text(encoding="utf-8"), encoding="utf-8")
    out, store = base / "out", base / "store"
    result = run_cli("analyse", str(source), "--out", str(out), "--store", str(store),
                     "--format", "json,html", "--quiet")
    assert result.exit_code == 0, result.output
    return out, store, json.loads((out / "ten_paragraphs.json").read_text())


def test_p10_decides_in_the_json(p10_run):
    _, _, report = p10_run
    body = report["categories"]["data_free_flow"]
    ids = [f["clause_id"] for f in body["findings"]]
    p1, p10 = "ten_paragraphs:art3.1:p1", "ten_paragraphs:art3.1:p10"
    # the set-up that fooled the old lookup: p1 listed first, p10 deciding
    assert ids[:2] == [p1, p10]
    scores = {f["clause_id"]: f["policy_space"] for f in body["findings"]}
    assert scores[p1] == scores[p10]
    assert body["decisive_clause_id"] == p10
    assert body["explanation"][0].startswith(f"most binding finding {p10}:")


def test_p10_decides_on_the_site(p10_run):
    out, _, _ = p10_run
    page = (out / "ten_paragraphs.html").read_text()
    decided = re.search(r'<p class="decided">.*?</p>', page, re.S)
    assert decided is not None
    assert "ten_paragraphs:art3.1:p10</code>" in decided.group(0)
    assert "ten_paragraphs:art3.1:p1</code>" not in decided.group(0)


def test_p10_decides_in_compare_from_a_report_file_and_a_stored_id(p10_run, tmp_path):
    out, store, _ = p10_run
    result = run_cli("compare", str(out / "ten_paragraphs.json"), "ten_paragraphs",
                     "--store", str(store), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    row = next(c for c in data["categories"] if c["category"] == "data_free_flow")["rows"]
    assert [r["clause_id"] for r in row] == ["ten_paragraphs:art3.1:p10"] * 2


def test_a_report_without_the_field_still_names_p10(p10_run):
    """Reports written before `decisive_clause_id` existed: the whole id from the first
    explanation line, never a prefix of it."""
    from tradelens.report.contract import decisive_finding

    _, _, report = p10_run
    body = dict(report["categories"]["data_free_flow"])
    del body["decisive_clause_id"]
    assert decisive_finding(body)["clause_id"] == "ten_paragraphs:art3.1:p10"
