"""The settings of the `erkg` commands that build, release, query and load: with
api/settings.py, the one place that reads the environment (ERKG_*).

A command-line option overrides its setting by construction (`from_args`); the
options take the settings' names as their `dest`.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TypeVar

from pydantic import Field, SecretStr, ValidationError
from pydantic_core import ErrorDetails
from pydantic_settings import BaseSettings, SettingsConfigDict

from .build import BuildConfig
from .errors import ErkgError
from .layout import BuildLayout, ReleaseLayout


class KgSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ERKG_", frozen=True)

    data: Path = Field(BuildConfig.data, description="curated data directory (sources/ and facts/)")
    ontology: Path = Field(BuildConfig.ontology, description="the ontology (Turtle)")
    shapes: Path = Field(BuildConfig.shapes, description="the SHACL shapes (Turtle)")
    queries: Path = Field(BuildConfig.queries, description="named queries; `*-violation.rq` must return no rows")
    out: Path = Field(BuildConfig.out, description="the build's directory")
    base: str = Field(BuildConfig.base, description="base of all IRIs")
    releases: Path = Field(ReleaseLayout().directory, description="where releases are kept")
    changelog: Path = Field(ReleaseLayout().changelog, description="the changelog")
    store_cache: Path = Field(BuildLayout().stores, description="where on-disk stores of datasets are kept")
    load_password: SecretStr | None = Field(None, description="password for the store `erkg load` loads into")

    @property
    def layout(self) -> BuildLayout:
        return BuildLayout(self.out)

    def build_config(self, **options: bool) -> BuildConfig:
        """What a build reads and where it writes, with `options` (reason, include_unreviewed)."""
        return BuildConfig(data=self.data, ontology=self.ontology, shapes=self.shapes, queries=self.queries,
                           out=self.out, base=self.base, **options)


class SettingsError(ErkgError):
    """An option or an environment variable has a value its setting does not take."""

    exit_code = 2  # as argparse's for a bad option


S = TypeVar("S", bound=BaseSettings)


def from_args(settings: type[S], args: argparse.Namespace | None = None) -> S:
    """The settings, each given on the command line (an option with the setting's name as
    its dest, default None) taking the place of its environment variable and default."""
    given = {name: value for name in settings.model_fields if (value := getattr(args, name, None)) is not None}
    try:
        return settings(**given)
    except ValidationError as e:
        raise SettingsError("; ".join(_problem(err, given, settings.model_config["env_prefix"])
                                      for err in e.errors())) from None


def _problem(err: ErrorDetails, given: dict[str, object], env_prefix: str) -> str:
    """One invalid value: the setting, the value and where it came from (option or variable)."""
    name = str(err["loc"][0]) if err["loc"] else ""
    source = "its option" if name in given else f"${env_prefix}{name.upper()}"
    return f"{name} {err['input']!r} (from {source}): {err['msg']}"


def add_option(p: argparse.ArgumentParser, flag: str, name: str, settings: type[BaseSettings],
               **kwargs: object) -> None:
    """An option that sets `settings`' field `name`; its help names the field's default
    and environment variable."""
    field = settings.model_fields[name]
    env = f"{settings.model_config['env_prefix']}{name.upper()}"
    default = "" if field.default is None else f" or {field.default}"
    p.add_argument(flag, dest=name, default=None,
                   help=f"{kwargs.pop('help', field.description)} (default: ${env}{default})", **kwargs)
