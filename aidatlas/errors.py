"""One exception tree for the whole library.

    AidatlasError                 anything the library raises on purpose
    ├── InputError                a user's file cannot be used (names the file and what was wrong)
    │   ├── UnsupportedFormat     unknown extension / media type
    │   ├── EmptyDocument         no text to read
    │   ├── UnreadableDocument    corrupt, encrypted, binary or undecodable
    │   └── IatiError             a malformed or non-IATI XML file
    ├── NormalizationError        a value that cannot be normalized (unknown currency, impossible date)
    ├── StoreError                the database refused or is out of date
    ├── QueryError                a search the registry cannot run (unknown facet or sort, bad page)
    ├── AuthError                 a login or an account operation that is refused
    │   └── Forbidden             a signed-in user whose role does not allow the action
    ├── ConflictError             a state change the current state does not allow (merge a merged pair, …)
    └── NotFound                  an id that is not in the registry

The CLI turns every AidatlasError into a one-line message and exit code 1; the web app into a JSON
error with a proper status code. Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations


class AidatlasError(Exception):
    """Base of every error the library raises on purpose."""


class InputError(AidatlasError):
    """A user's input cannot be used; the message names the file and what was wrong."""

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


class NormalizationError(AidatlasError):
    pass


class StoreError(AidatlasError):
    pass


class NotFound(AidatlasError):
    pass


class QueryError(AidatlasError):
    """A search the registry cannot run: unknown facet or sort, page out of range."""


class AuthError(AidatlasError):
    """A login or account operation that is refused (wrong password, unknown or duplicate user)."""


class Forbidden(AuthError):
    """The user is known but their role does not allow this action (HTTP 403)."""


class ConflictError(AidatlasError):
    """The action does not fit the current state: a closed call, a decided pair, a frozen application."""
