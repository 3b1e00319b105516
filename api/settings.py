"""The service's settings: with kg/settings.py, the one place that reads the environment
(ERKG_*). `erkg serve`'s options override them by construction (kg.settings.from_args)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AnyHttpUrl, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from kg.layout import BuildLayout
from kg.namespaces import DEFAULT_BASE


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ERKG_", frozen=True)

    host: str = Field("127.0.0.1", description="address to bind")
    port: int = Field(8000, ge=0, le=65535, description="port to listen on")
    workers: int = Field(1, ge=1, description="server processes, each answering HTTP on the same port over one "
                                              "shared on-disk store")
    log_level: Literal["critical", "error", "warning", "info", "debug"] = Field("info", description="log level")
    dataset: Path = Field(BuildLayout().dataset, description="RDF dataset file to serve")
    store_cache: Path = Field(BuildLayout().stores, description="where on-disk stores and the snapshots of the dataset "
                                                               "served are kept, one per version (not in build/, "
                                                               "which a build replaces)")
    queries: Path = Field(Path("queries"), description="named queries, offered as examples in the query UI")
    releases: Path = Field(Path("releases"), description="the releases `erkg release` made; /ontology/VERSION serves "
                                                         "each one's ontology")
    base: str = Field(DEFAULT_BASE, description="base of the project's IRIs (for prefixes)")
    source_texts: Literal["full", "quotes"] = Field(
        "full", description="what the server shows of the stored source texts: the full texts, or only the quoted "
                            "sentences with their context (for a public deployment whose rights do not cover the "
                            "full texts: then the texts are left out of the dataset served, the text endpoint "
                            "answers 403 and the downloads holding them are not offered)")
    store: Literal["auto", "memory", "disk"] = Field(
        "auto", description="where workers query: the dataset loaded into each worker's memory (several times "
                            "faster), the shared on-disk store (for graphs too large for that), or memory when "
                            "it fits (see memory_store_max_bytes)")
    memory_store_max_bytes: int | None = Field(
        None, ge=0, description="largest dataset file 'auto' loads into memory; by default the largest whose "
                                "copies, one per query worker, fit into half the memory available at start")
    endpoint: AnyHttpUrl | None = Field(
        None, description="query URL of a remote SPARQL 1.1 endpoint (Oxigraph server, Virtuoso, Fuseki, "
                          "GraphDB …) to answer from instead of the embedded engine; load it with `erkg load`")
    endpoint_user: str | None = Field(None, description="user name for the remote endpoint, if it needs one")
    endpoint_password: SecretStr | None = Field(None, description="password for the remote endpoint")
    endpoint_auth: Literal["basic", "digest"] = Field("basic", description="HTTP authentication the endpoint asks for")
    endpoint_stats_interval: float = Field(
        60.0, gt=0, description="seconds between readings of the remote dataset's size, which versions its answers")
    query_workers: int = Field(2, ge=1, le=64, description="query worker processes of each server process "
                                                           "(embedded), or queries sent to the remote endpoint at once")
    reserved_workers: int = Field(1, ge=0, le=16, description="query worker processes more (embedded) kept for the "
                                                              "REST API and pages, which slow SPARQL queries cannot hold")
    timeout: float = Field(30.0, gt=0, description="seconds a query may run before it is stopped")
    queue_timeout: float = Field(5.0, gt=0, description="seconds a request may wait for a free worker")
    query_memory: int = Field(4096, ge=64, description="MB of memory a query may take in its worker (embedded) beyond "
                                                      "what the worker holds when ready (the dataset, if in memory; "
                                                      "memory kept from earlier queries counts too); past it the "
                                                      "worker stops, the query gets a 503 and a fresh worker starts")
    max_query_length: int = Field(100_000, ge=100, description="characters")
    max_nesting: int = Field(1_000, ge=16, le=10_000, description="levels brackets may nest in a query (deeper ones "
                                                                 "would exhaust the engine's stack)")
    max_body: int = Field(1_000_000, ge=1_000, description="bytes of a request body")
    cache_entries: int = Field(256, ge=0, description="answers kept in the in-process cache")
    cache_max_bytes: int = Field(1 << 20, ge=0, description="largest answer the cache keeps")

    # Clients: what one client, or all of them together, may hold (README: Safety).
    max_header_bytes: int = Field(64 * 1024, ge=8 * 1024, description="bytes of a request's line and headers "
                                                                      "together (431 past it)")
    header_timeout: float = Field(10.0, gt=0, description="seconds a request's line and headers may take to arrive "
                                                          "from a connection's start, or the request's first byte "
                                                          "(408 and closed; closed if nothing came)")
    body_timeout: float = Field(30.0, gt=0, description="seconds a request's body may take to arrive after its "
                                                        "headers (the connection is closed then)")
    keep_alive_timeout: float = Field(5.0, gt=0, description="seconds an idle keep-alive connection stays open")
    max_connections: int = Field(10_000, ge=1, description="connections open at once (503 past it); at most the "
                                                          "open-files limit less 1,024, raised to its hard limit at start")
    client_queries: int | None = Field(
        None, ge=1, description="SPARQL queries one client may run at once (429 past it); by default one less "
                                "than query_workers (at least 1), so that one client never holds every worker")
    client_query_seconds: float = Field(
        30.0, gt=0, description="seconds of SPARQL query time one client may use per minute, refilled as it "
                                "passes (429 with Retry-After past it); cached answers cost nothing")
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        [], description="addresses (or networks) of reverse proxies whose X-Forwarded-For names the client, "
                        "comma-separated; otherwise a client is the address it connects from")
    public_url: AnyHttpUrl | None = Field(
        None, description="the service's public base URL (scheme, host, port; no path), used for every absolute "
                          "URL it writes; by default the address a request came in at, never its Host header")
    allowed_hosts: Annotated[list[str], NoDecode] = Field(
        [], description="host names a request's Host header may give, comma-separated (400 for others); "
                        "empty: any")

    @field_validator("trusted_proxies", "allowed_hosts", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        return [v.strip() for v in value.split(",") if v.strip()] if isinstance(value, str) else value

    @field_validator("public_url")
    @classmethod
    def _no_path(cls, value: AnyHttpUrl | None) -> AnyHttpUrl | None:
        if value is not None and (value.path not in (None, "", "/") or value.query or value.fragment):
            raise ValueError(f"{value} has a path, query or fragment: give the scheme, host and port only")
        return value

    @property
    def queries_per_client(self) -> int:
        return self.client_queries or max(self.query_workers - 1, 1)

    def export(self) -> None:
        """Put the settings given to this object into the environment, where the server
        processes that uvicorn starts anew (`erkg serve --workers N`) read them."""
        prefix = self.model_config["env_prefix"]
        os.environ.update({f"{prefix}{name.upper()}": _env_value(getattr(self, name)) for name in self.model_fields_set})


def _env_value(value: object) -> str:
    """A setting's value as its environment variable gives it."""
    if isinstance(value, SecretStr):
        return value.get_secret_value()
    if isinstance(value, list):
        return ",".join(value)
    return str(value)
