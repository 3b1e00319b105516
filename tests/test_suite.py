"""The suite's own rules (tests/conftest.py): every test falls into a tier by the fixtures
it uses, and a data-driven list that shrinks below its declared minimum stops the run."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

TESTS = Path(__file__).parent
CONFTEST = (TESTS / "conftest.py").read_text(encoding="utf-8")


def is_mark(decorator: ast.expr, name: str) -> bool:
    return isinstance(decorator, ast.Call) and ast.unparse(decorator.func).endswith(f"mark.{name}")


def test_every_data_driven_parametrization_declares_its_minimum():
    """A list of cases that is not written out where it is used (a list read from files,
    built in code, or named) can shrink unseen, so its test must say how many it expects."""
    missing = []
    for path in sorted(TESTS.rglob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef):
                continue
            data_driven = [d for d in node.decorator_list if is_mark(d, "parametrize")
                           and not isinstance(d.args[1], (ast.List, ast.Tuple))]
            if data_driven and not any(is_mark(d, "min_cases") for d in node.decorator_list):
                missing.append(f"{path.relative_to(TESTS)}::{node.name}")
    assert not missing, "parametrized from a list without @pytest.mark.min_cases(n): " + ", ".join(missing)


def test_a_list_shorter_than_its_minimum_stops_the_run(pytester):
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_lists="""
        import pytest
        CASES = [1, 2]

        @pytest.mark.min_cases(3)
        @pytest.mark.parametrize("case", CASES)
        def test_case(case):
            pass
    """)
    result = pytester.runpytest("-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*data-driven lists shrank*", "*test_lists.py::test_case: 2 cases, at least 3 expected*"])


def test_selecting_one_case_of_a_long_enough_list_still_runs(pytester):
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_lists="""
        import pytest

        @pytest.mark.min_cases(3)
        @pytest.mark.parametrize("case", [1, 2, 3])
        def test_case(case):
            pass
    """)
    pytester.runpytest("-p", "no:cacheprovider", "test_lists.py::test_case[2]").assert_outcomes(passed=1)


def test_the_tier_follows_from_the_fixtures(pytester):
    pytester.makeconftest(CONFTEST + """

@pytest.fixture
def chromium():
    return None
""")
    pytester.makepyfile(test_tiers="""
        def test_pure():
            pass

        def test_in_a_browser(chromium):
            pass
    """)
    pytester.runpytest("-p", "no:cacheprovider", "-m", "unit").assert_outcomes(passed=1, deselected=1)
    pytester.runpytest("-p", "no:cacheprovider", "-m", "browser").assert_outcomes(passed=1, deselected=1)
