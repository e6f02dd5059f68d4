"""The package's layers and the parts every chapter has (CONTRIBUTING.md describes both).

Layers import one way only: ``models`` (the science) <- ``plots`` (figures) <- ``widgets``
(controls, the figure widget); ``tooling`` (nbgrader, self-check, CLI) stands apart and works on
notebooks. These tests read the source, so a forbidden import fails here before it spreads.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import nbformat
import pytest

import naltrexone_lab
from naltrexone_lab.tooling.syllabus import CHAPTERS

PACKAGE = Path(naltrexone_lab.__file__).resolve().parent
ROOT = PACKAGE.parent

# layer -> the layers (of this package) its modules may import
ALLOWED = {
    "models": {"models"},
    "plots": {"models", "plots"},
    "widgets": {"models", "plots", "widgets"},
    "tooling": {"tooling"},
    "labserver": {"widgets"},
    "__init__": set(),
}
# third-party packages a layer must not need (the science runs without Jupyter or plotly; the
# figures without widgets; the tooling without the science stack)
FORBIDDEN = {
    "models": {"plotly", "ipywidgets", "anywidget", "traitlets", "IPython", "nbformat", "nbgrader",
               "nbclient", "matplotlib"},
    "plots": {"ipywidgets", "anywidget", "traitlets", "nbformat", "nbgrader"},
    "widgets": {"nbformat", "nbgrader", "nbclient"},
    "tooling": {"numpy", "scipy", "plotly", "ipywidgets", "anywidget"},
}


def _layer(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in the file, relative ones resolved."""
    tree = ast.parse(path.read_text(), str(path))
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            # `from . import binding` imports the submodule binding
            found += [(node.lineno, f"{target}.{alias.name}") for alias in node.names]
            found.append((node.lineno, target))
    return found


SOURCES = sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_each_module_imports_only_the_layers_below_it(path):
    layer = _layer(path)
    assert layer in ALLOWED, f"{path.relative_to(PACKAGE)}: not in a known layer {sorted(ALLOWED)}"
    problems = []
    for line, name in _imports(path):
        parts = name.split(".")
        if parts[0] == "naltrexone_lab" and len(parts) > 1:
            target = parts[1]
            if target in naltrexone_lab.ALIASES and layer != "__init__":
                problems.append(f"line {line}: {name} is a short alias; import it from its layer "
                                f"(naltrexone_lab.{naltrexone_lab.ALIASES[target]}.{target})")
            elif target in ALLOWED and target not in ALLOWED[layer] | {layer}:
                problems.append(f"line {line}: the {layer} layer imports {name}")
        elif parts[0] in FORBIDDEN.get(layer, ()):
            problems.append(f"line {line}: the {layer} layer imports {parts[0]}")
    assert not problems, f"{path.relative_to(PACKAGE)}:\n" + "\n".join(problems)


def test_the_layer_rules_catch_a_forbidden_import(tmp_path, monkeypatch):
    """The check above can fail: a model importing a widget, or plotly, is reported."""
    fake = PACKAGE / "models" / "binding.py"
    source = "from ..widgets import base\nimport plotly\nfrom .units import format_percent\n"
    monkeypatch.setattr(Path, "read_text", lambda self, *a, **k: source if self == fake else "")
    names = [name for _, name in _imports(fake)]
    assert "naltrexone_lab.widgets.base" in names and "plotly" in names
    with pytest.raises(AssertionError, match="models layer imports naltrexone_lab.widgets"):
        test_each_module_imports_only_the_layers_below_it(fake)


@pytest.mark.parametrize("short", sorted(naltrexone_lab.ALIASES))
def test_short_module_names_used_by_notebooks_are_the_layer_modules(short):
    """``naltrexone_lab.binding`` (notebooks, saved copies, an instructor's nbgrader_config.py)
    is the same module object as ``naltrexone_lab.models.binding``."""
    layer = naltrexone_lab.ALIASES[short]
    assert importlib.import_module(f"naltrexone_lab.{short}") is importlib.import_module(
        f"naltrexone_lab.{layer}.{short}")


def test_every_model_and_tooling_module_keeps_its_short_name():
    for layer in ("models", "tooling"):
        for path in (PACKAGE / layer).glob("*.py"):
            if path.stem != "__init__":
                assert naltrexone_lab.ALIASES.get(path.stem) == layer, (
                    f"{layer}/{path.name}: add it to naltrexone_lab.ALIASES, or it has no short name")


@pytest.mark.parametrize("chapter", [c for c in CHAPTERS if c.ready], ids=lambda c: f"ch{c.number}")
def test_every_chapter_has_all_its_parts(chapter):
    """The checklist of CONTRIBUTING.md ("adding a chapter"), checked for every chapter listed."""
    missing = []
    notebook = ROOT / chapter.notebook
    need = [notebook]
    if chapter.exercise:
        ex = chapter.exercise
        need += [ROOT / "solutions" / ex / f"{ex}.ipynb", ROOT / "exercises" / ex / f"{ex}.ipynb",
                 ROOT / "tests" / "misconceptions" / f"{ex}.py"]
    if chapter.topic:
        need += [PACKAGE / "plots" / f"{chapter.topic}.py", PACKAGE / "widgets" / f"{chapter.topic}.py",
                 ROOT / "tests" / f"test_widgets_{chapter.topic}.py"]
    missing += [str(p.relative_to(ROOT)) for p in need if not p.exists()]
    assert not missing, f"chapter {chapter.number} lacks: {', '.join(missing)}"
    readme = (ROOT / "README.md").read_text()
    assert f"`{chapter.notebook}`" in readme, f"README's chapter table does not list {chapter.notebook}"
    if chapter.topic:
        from naltrexone_lab import widgets

        module = importlib.import_module(f"naltrexone_lab.widgets.{chapter.topic}")
        own = {name for name in widgets.__all__ if getattr(getattr(widgets, name), "__module__", "")
               == module.__name__}
        source = "\n".join(c.source for c in nbformat.read(str(notebook), as_version=4).cells
                           if c.cell_type == "code")
        assert any(f"{name}(" in source for name in own), (
            f"{chapter.notebook} shows none of its own models ({sorted(own)})")


def test_environment_yml_lists_exactly_the_dependencies_of_pyproject():
    """conda and Binder users get the same packages and bounds as pip users."""
    import re

    tomllib = pytest.importorskip("tomllib", reason="tomllib is in the standard library from Python 3.11")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {re.sub(r"\s", "", d) for d in project["dependencies"] + project["optional-dependencies"]["dev"]}
    listed = set()
    for line in (ROOT / "environment.yml").read_text().splitlines():
        m = re.fullmatch(r"\s+- ([A-Za-z0-9_.-]+(?:\[[a-z,]+\])?[<>=!~].*)", line)
        if m and not m.group(1).startswith("python"):
            listed.add(re.sub(r"\s", "", m.group(1)))
    assert listed == wanted, (f"only in pyproject: {sorted(wanted - listed)}; "
                              f"only in environment.yml: {sorted(listed - wanted)}")


def _think_blocks(source: str):
    """(questions, answers) of each "### Think!" block of a markdown cell: the numbered items
    before its <details> and the numbered items inside it (None when there is no <details>)."""
    import re

    for block in re.split(r"^### Think!\s*$", source, flags=re.M)[1:]:
        block = re.split(r"^#{1,3} ", block, maxsplit=1, flags=re.M)[0]
        before, _, after = block.partition("<details>")
        questions = re.findall(r"^(\d+)\. ", before, flags=re.M)
        if not after:
            yield questions, None
            continue
        inside = after.partition("</details>")[0]
        yield questions, re.findall(r"^(\d+)\. ", inside, flags=re.M)


@pytest.mark.parametrize("chapter", [c for c in CHAPTERS if c.ready], ids=lambda c: c.number)
def test_every_think_question_has_its_answer_collapsed_below_it(chapter):
    """Course contract: "Think!" questions with answers collapsed below them (issue 17), one
    numbered answer per numbered question, inside <details> so the learner tries first."""
    cells = nbformat.read(str(ROOT / chapter.notebook), as_version=4).cells
    blocks = [b for c in cells if c.cell_type == "markdown" for b in _think_blocks(c.source)]
    if chapter.topic:
        assert blocks, f"{chapter.notebook} has no Think! questions"
    for i, (questions, answers) in enumerate(blocks, 1):
        assert questions, f"{chapter.notebook}: Think! block {i} has no numbered questions"
        assert answers is not None, f"{chapter.notebook}: Think! block {i} has no <details> answers"
        assert answers == questions, (f"{chapter.notebook}: Think! block {i} answers {answers} "
                                      f"for questions {questions}")
