"""The settings of the `erkg` commands that build, release, query and load: with
api/settings.py, the one place that reads the environment (ERKG_*).

A command-line option overrides its setting by construction (`from_args`); the
options take the settings' names as their `dest`.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TypeVar

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from .build import BuildConfig
from .layout import BuildLayout, ReleaseLayout


class KgSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ERKG_", frozen=True)

    data: Path = Field(BuildConfig.data, description="curated data directory (sources/ and facts/)")
    ontology: Path = Field(BuildConfig.ontology, description="the ontology (Turtle)")
    shapes: Path = Field(BuildConfig.shapes, description="the SHACL shapes (Turtle)")
    queries: Path = Field(BuildConfig.queries, description="named queries; *-violation.rq must return no rows")
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


S = TypeVar("S", bound=BaseSettings)


def from_args(settings: type[S], args: argparse.Namespace) -> S:
    """The settings, each given on the command line (an option with the setting's name as
    its dest, default None) taking the place of its environment variable and default."""
    given = {name: value for name in settings.model_fields if (value := getattr(args, name, None)) is not None}
    return settings(**given)


def add_option(p: argparse.ArgumentParser, flag: str, name: str, settings: type[BaseSettings],
               **kwargs: object) -> None:
    """An option that sets `settings`' field `name`; its help names the field's default
    and environment variable."""
    field = settings.model_fields[name]
    env = f"{settings.model_config['env_prefix']}{name.upper()}"
    default = "" if field.default is None else f" or {field.default}"
    p.add_argument(flag, dest=name, default=None,
                   help=f"{kwargs.pop('help', field.description)} (default: ${env}{default})", **kwargs)
