"""SPARQL over HTTP with SPARQLWrapper, as `erkg load` and the service's remote
engine both speak it: one way to set a client up, the query both ask a store
for its size, and what an engine said when it refused a request.

No redirect is followed, by SPARQLWrapper (urllib) nor by the Graph Store
Protocol requests (httpx, which follows none unless told): urllib would send the
Authorization header to whatever host a store redirects to, and turn a POST into
a GET on 301-303, so that an update is silently not applied. A redirect is an
error that names where it led (Redirected)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Literal

from SPARQLWrapper import BASIC, POST, URLENCODED, SPARQLWrapper
from SPARQLWrapper import Wrapper as sparqlwrapper_module


def redirect_refused(method: str, url: str, status: int, location: str) -> str:
    """The error for a redirect that was not followed."""
    return (f"{method} {url} was redirected ({status}) to {location}, and ERKG follows no redirect (it "
            "would send the request and its credentials there, or turn the POST into a GET): "
            "give the URL the request belongs to")


class Redirected(urllib.error.HTTPError):
    """A redirect that urllib did not follow (an HTTPError, as SPARQLWrapper passes on)."""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001 — urllib's signature
        raise Redirected(req.full_url, code, redirect_refused(req.get_method(), req.full_url, code, newurl),
                         headers, fp)


# Digest credentials by URL, for every client. SPARQLWrapper's own digest support installs
# an opener for all of urllib, which would replace this one.
_DIGEST_PASSWORDS = urllib.request.HTTPPasswordMgrWithDefaultRealm()
# SPARQLWrapper opens every request with this module-level function of its own.
sparqlwrapper_module.urlopener = urllib.request.build_opener(
    _NoRedirects, urllib.request.HTTPDigestAuthHandler(_DIGEST_PASSWORDS)).open

# Triples per named graph of the store, for the graphs under a base (an engine may
# hold others of its own: Virtuoso keeps its system graphs in the same store).
GRAPH_SIZES = ("SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
               "FILTER(STRSTARTS(STR(?g), {base})) }} GROUP BY ?g")


def graph_sizes_query(base: str) -> str:
    return GRAPH_SIZES.format(base=json.dumps(base))


def sparql_client(url: str, *, timeout: float, user: str | None = None, password: str | None = None,
                  auth: Literal["basic", "digest"] = "basic") -> SPARQLWrapper:
    """A client that POSTs form-encoded to `url` (queries and updates alike), gives up
    after `timeout` seconds without an answer, and authenticates if a user is given."""
    client = SPARQLWrapper(url, updateEndpoint=url, agent="ERKG")
    client.setMethod(POST)
    client.setRequestMethod(URLENCODED)
    client.setTimeout(max(1, round(timeout)))
    if user and auth == "digest":
        _DIGEST_PASSWORDS.add_password(None, url, user, password or "")
    elif user:
        client.setHTTPAuth(BASIC)
        client.setCredentials(user, password or "")
    return client


def engine_said(error: Exception) -> str:
    """What the engine said: the body of its error response (SPARQLWrapper keeps it
    on its exceptions; urllib's HTTPError still has it to read), shortened; for a
    redirect, where it led."""
    if isinstance(error, Redirected):
        return error.msg
    body = getattr(error, "response", None)
    if body is None and isinstance(error, urllib.error.HTTPError):
        body = error.read()
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body or error)
    text = " ".join(text.split())
    return text if len(text) <= 500 else text[:500] + " …"
