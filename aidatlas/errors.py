"""One exception tree for the whole library.

    AidatlasError                 anything the library raises on purpose
    ├── InputError                a user's file cannot be used (names the file and what was wrong)
    │   ├── UnsupportedFormat     unknown extension / media type
    │   ├── EmptyDocument         no text to read
    │   ├── UnreadableDocument    corrupt, encrypted, binary or undecodable
    │   ├── IatiError             a malformed or non-IATI XML file
    │   │   └── IatiFileError     … with the line where that became clear
    │   └── UploadRefused         an upload the web app will not read (too large, wrong type)
    ├── NormalizationError        a value that cannot be normalized (unknown currency, impossible date)
    ├── StoreError                the database refused or is out of date
    │   └── DatabaseBusy          another writer held it past the busy timeout and the retries (503)
    ├── QueryError                a search the registry cannot run (unknown facet or sort, bad page)
    │   └── InvalidParameter      an unknown API parameter or a value it does not take (names both, 400)
    ├── AuthError                 a login or an account operation that is refused
    │   ├── Forbidden             a signed-in user whose role does not allow the action
    │   │   └── CsrfFailed        a form without a valid CSRF token
    │   ├── LoginRequired         a page that needs an account, asked for without one
    │   └── TokenRefused          an API token that is missing, unknown or revoked
    ├── ConflictError             a state change the current state does not allow (merge a merged pair, …)
    ├── NotFound                  an id that is not in the registry
    ├── RateLimited               too many posts from one address in a short time (429)
    └── RouteNotMapped            a web route the authorization table does not list (closed, 500)

The CLI turns every AidatlasError into a one-line message and exit code 1; the web app, with one handler,
into a JSON error or an error page with the status, code and title the class carries. Anything else is a
bug and keeps its traceback.
"""

from __future__ import annotations

import os
import re
from pathlib import PurePath

_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def display_name(path: PurePath | str) -> str:
    """How an error names a file: on one line, undecodable bytes as `\\xff`, control and direction characters
    escaped (so a name cannot rewrite the terminal or reverse what follows)."""
    text = os.fsencode(path).decode("utf-8", errors="backslashreplace")
    return _UNPRINTABLE.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


class AidatlasError(Exception):
    """Base of every error the library raises on purpose."""

    http_status = 400
    """what the web app answers with"""
    code: str | None = None
    """the JSON error code (default: the class name)"""
    title = "Something went wrong"
    """the heading of the HTML error page"""

    def error_code(self) -> str:
        return self.code or type(self).__name__

    def public_message(self) -> str:
        """What a user of the web app is told (the message itself, unless the class says otherwise)."""
        return str(self)


class InputError(AidatlasError):
    """A user's input cannot be used; the message names the file and what was wrong."""

    code = "bad_input"
    title = "This input cannot be used"

    def __init__(self, source: str, problem: str) -> None:
        self.source = source
        self.problem = problem
        super().__init__(f"{source}: {problem}")


class UnsupportedFormat(InputError):
    pass


class EmptyDocument(InputError):
    pass


class UnreadableDocument(InputError):
    pass


class IatiError(InputError):
    pass


class IatiFileError(IatiError):
    """A file that is not readable IATI, with the line where that became clear."""

    def __init__(self, source: str, line: int | None, problem: str) -> None:
        self.line = line
        self.detail = problem
        """the problem without the line prefix"""
        super().__init__(source, f"line {line}: {problem}" if line else problem)


class UploadRefused(InputError):
    """An upload the web app will not read; it answers with the form again and this status."""

    def __init__(self, status: int, message: str) -> None:
        self.http_status = status
        self.message = message
        super().__init__("upload", message)

    def public_message(self) -> str:
        return self.message


class NormalizationError(AidatlasError):
    pass


class StoreError(AidatlasError):
    pass


class DatabaseBusy(StoreError):
    """Another writer held the database longer than the busy timeout, retries included (HTTP 503)."""

    http_status = 503
    code = "busy"
    title = "Busy"
    retry_after = 5
    """seconds a client should wait before trying again (the web app's `Retry-After`)"""

    def public_message(self) -> str:
        return "The registry is busy writing: try again in a few seconds."


class NotFound(AidatlasError):
    http_status = 404
    code = "not_found"
    title = "Not found"


class QueryError(AidatlasError):
    """A search the registry cannot run: unknown facet or sort, page out of range."""

    code = "bad_request"
    title = "This search cannot be run"


class InvalidParameter(QueryError):
    """A request parameter the route does not declare, or a value it does not take: the answer names the
    parameter, the value sent and what is allowed (`allowed`: parameter names or values; None: a pattern)."""

    code = "invalid_parameter"
    title = "This parameter cannot be used"

    def __init__(self, parameter: str, value: str | None, message: str,
                 allowed: list[str] | None = None) -> None:
        self.parameter = parameter
        self.value = value
        self.allowed = allowed
        super().__init__(message)

    def body(self) -> dict[str, object]:
        """The JSON error body beyond `error` and `detail`."""
        return {"parameter": self.parameter, "value": self.value, "allowed": self.allowed}


class AuthError(AidatlasError):
    """A login or account operation that is refused (wrong password, unknown or duplicate user)."""


class Forbidden(AuthError):
    """The user is known but their role does not allow this action (HTTP 403)."""

    http_status = 403
    code = "forbidden"
    title = "Not allowed"


class CsrfFailed(Forbidden):
    """A form without a valid CSRF token."""

    code = "csrf_failed"
    title = "Form expired"

    def public_message(self) -> str:
        return "The form expired or came from another site: reload the page and try again."


class LoginRequired(AuthError):
    """Raised by `require_user`; the app answers with the login page (GET) or 401 (anything else)."""

    http_status = 401
    code = "login_required"
    title = "Log in first"

    def public_message(self) -> str:
        return "Log in first: reading the registry is public, this needs an account."


class TokenRefused(AuthError):
    """An API call whose bearer token is missing, unknown or revoked (401)."""

    http_status = 401
    code = "invalid_token"
    title = "Token refused"


class RateLimited(AidatlasError):
    """Too many posts from one address in the window the settings allow (429)."""

    http_status = 429
    code = "rate_limited"
    title = "Too many requests"


class ConflictError(AidatlasError):
    """The action does not fit the current state: a closed call, a decided pair, a frozen application."""

    http_status = 409
    code = "conflict"
    title = "Not possible now"


class RouteNotMapped(AidatlasError):
    """A web route that `aidatlas.web.access.ROUTES` does not list: refused (500) rather than left open."""

    http_status = 500
    code = "no_access_rule"
    title = "Closed"

    def __init__(self, method: str, path: str) -> None:
        self.method = method
        self.path = path
        super().__init__(f"{method} {path} has no entry in aidatlas.web.access.ROUTES")

    def public_message(self) -> str:
        return "This page has no authorization rule yet, so it stays closed."
