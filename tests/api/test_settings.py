"""The settings: two classes read the environment (api/settings.py for `erkg serve`,
kg/settings.py for the other commands), command-line options override them by
construction, and README's table of them is theirs."""

from __future__ import annotations

import argparse
import ast
import os
import re
from pathlib import Path

import pytest
from pydantic_settings import BaseSettings

from api.cli import main, parser, serve_settings
from api.settings import Settings
from kg.errors import ErkgError
from kg.settings import KgSettings, from_args

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_MODULES = {ROOT / "api" / "settings.py", ROOT / "kg" / "settings.py"}
README_TABLE = re.compile(r"(<!-- settings table: .*? -->\n)(.*?)(<!-- end of settings table -->)", re.S)


def environment_uses(path: Path) -> list[str]:
    """Where a module touches os.environ, os.getenv or os.putenv (or imports them)."""
    names = {"environ", "environb", "getenv", "getenvb", "putenv", "unsetenv"}
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Attribute) and node.attr in names and isinstance(node.value, ast.Name) \
                and node.value.id == "os":
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: os.{node.attr}")
        elif isinstance(node, ast.ImportFrom) and node.module == "os" and names & {a.name for a in node.names}:
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: from os import …")
    return found


def test_no_module_but_the_settings_reads_the_environment():
    modules = [p for package in ("kg", "api") for p in (ROOT / package).rglob("*.py")]
    assert len(modules) > 40
    assert environment_uses(ROOT / "api" / "settings.py"), "the check finds a use where there is one"
    assert [use for p in modules if p not in SETTINGS_MODULES for use in environment_uses(p)] == []


def serve(*argv: str) -> tuple[argparse.Namespace, KgSettings]:
    """`erkg serve`'s arguments, and the settings of the build it would make."""
    return parser().parse_args(["serve", *argv]), KgSettings()


def test_an_option_of_erkg_serve_reaches_the_settings_without_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("ERKG_TIMEOUT", "99")
    monkeypatch.setenv("ERKG_QUERY_WORKERS", "3")
    before = dict(os.environ)
    settings = serve_settings(*serve("--timeout", "7", "--port", "8123", "--host", "::1",
                                    "--data", str(tmp_path / "x.nq")))
    assert (settings.timeout, settings.port, settings.host) == (7.0, 8123, "::1")  # the options win
    assert settings.query_workers == 3  # the environment gives what no option gives
    assert settings.dataset == tmp_path / "x.nq" and settings.store == "auto"
    assert dict(os.environ) == before


def test_several_server_processes_get_the_settings_of_the_first(monkeypatch, tmp_path):
    """uvicorn starts them anew from an import string: the environment is their way in."""
    monkeypatch.setattr(os, "environ", {**os.environ, "ERKG_TRUSTED_PROXIES": "10.0.0.1, 10.0.0.2",
                                        "ERKG_ENDPOINT_PASSWORD": "s3cret"})
    settings = serve_settings(*serve("--workers", "2", "--timeout", "7", "--data", str(tmp_path / "x.nq")))
    assert settings.store == "disk"  # one store on disk for all processes
    settings.export()
    assert Settings() == settings


def test_an_invalid_option_or_variable_is_refused_with_its_name(monkeypatch, tmp_path, capsys):
    assert main(["serve", "--port", "70000", "--data", str(tmp_path / "x.nq")]) == 2
    assert "erkg serve: error:" in (err := capsys.readouterr().err) and "port" in err and "65535" in err
    monkeypatch.setenv("ERKG_WORKERS", "0")
    with pytest.raises(ErkgError, match="workers"):
        serve_settings(*serve("--data", str(tmp_path / "x.nq")))


def test_the_kg_commands_take_their_options_over_the_environment(monkeypatch, tmp_path):
    from kg.cli import parser as kg_parser
    monkeypatch.setenv("ERKG_BASE", "https://example.org/env/")
    monkeypatch.setenv("ERKG_OUT", str(tmp_path / "env-build"))
    build = from_args(KgSettings, kg_parser().parse_args(["build", "--out", str(tmp_path / "b")])).build_config()
    assert (build.out, build.base) == (tmp_path / "b", "https://example.org/env/")
    evaluate = kg_parser().parse_args(["evaluate"])
    assert evaluate.report is None and from_args(KgSettings, evaluate).layout.evaluation == \
        tmp_path / "env-build" / "evaluation"
    monkeypatch.setenv("ERKG_LOAD_PASSWORD", "s3cret")
    assert from_args(KgSettings, kg_parser().parse_args(["load", "--to", "http://127.0.0.1:9/store"])) \
        .load_password.get_secret_value() == "s3cret"


# ---------------------------------------------------------------- README's table


def options(settings: type[BaseSettings]) -> dict[str, dict[str, list[str]]]:
    """Field name -> option -> the commands that have it (an option sets the field of its dest)."""
    found: dict[str, dict[str, list[str]]] = {}
    commands = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction)).choices
    for command, sub in commands.items():
        if (settings is Settings) != (command == "serve"):
            continue
        for action in sub._actions:
            if action.dest in settings.model_fields and action.option_strings:
                found.setdefault(action.dest, {}).setdefault(action.option_strings[-1], []).append(command)
    return found


def settings_table() -> str:
    rows = []
    readers = (("`erkg serve`", Settings), ("the other commands, and by `erkg serve` for the build it makes", KgSettings))
    for title, settings in readers:
        rows += [f"Read by {title} (`{settings.__module__.replace('.', '/')}.py`):", "",
                 "| variable | option | default | what it sets |", "| --- | --- | --- | --- |"]
        given = options(settings)
        for name, field in settings.model_fields.items():
            flags = ", ".join(f"`{flag}`" + ("" if settings is Settings else f" ({', '.join(commands)})")
                              for flag, commands in given.get(name, {}).items())
            default = "" if field.default in (None, []) else f"`{field.default}`"
            rows.append(f"| `ERKG_{name.upper()}` | {flags} | {default} | {field.description} |")
        rows.append("")
    return "\n".join(rows)


def test_the_readme_lists_every_setting_with_its_option_and_default():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = README_TABLE.search(readme)
    assert match, "README.md has the settings table between its markers"
    assert match[2] == settings_table(), "regenerate it: python -m tests.api.test_settings"
    assert options(Settings)["timeout"] == {"--timeout": ["serve"]}
    assert options(KgSettings)["out"] == {"--out": ["build", "release"]}


if __name__ == "__main__":  # rewrite README's table from the settings
    readme = ROOT / "README.md"
    readme.write_text(README_TABLE.sub(lambda m: m[1] + settings_table() + m[3], readme.read_text(encoding="utf-8")),
                      encoding="utf-8")
