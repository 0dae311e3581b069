"""Conditional requests: the preconditions of RFC 9110 §13, evaluated in the order of §13.2.2.

Werkzeug parses the fields (``ETags``, ``parse_date``) and compares entity tags
(``ETags.contains_weak``, ``ETags.is_strong``); the order and the outcome are here,
because ``werkzeug.http.is_resource_modified`` answers only "modified or not" for a
GET: it takes a failed ``If-Match`` for "not modified", a ``*`` one included, and reads
no ``If-Unmodified-Since``.
"""

from dataclasses import dataclass
from datetime import datetime
from http import HTTPStatus

from flask import Request
from werkzeug.datastructures import ETags
from werkzeug.http import parse_date, parse_etags

#: The methods for which a failed If-None-Match or If-Modified-Since is 304, not 412.
READ_METHODS = frozenset({"GET", "HEAD"})
#: The precondition fields of RFC 9110 §13.1, in the request's environ.
CONDITION_KEYS = (
    "HTTP_IF_MATCH",
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_UNMODIFIED_SINCE",
)


@dataclass(frozen=True)
class Validators:
    """What a resource's current representation is compared by: its entity tag and date."""

    #: The opaque tag, without quotes.
    etag: str
    weak: bool = False
    #: To the second, as Last-Modified says it (§8.8.2); None when the resource has none.
    last_modified: datetime | None = None


@dataclass(frozen=True)
class Failure:
    """A precondition that failed: the status it gives and the field that failed."""

    status: HTTPStatus
    field: str
    #: For If-None-Match: whether it was "*", which asks that no representation exist.
    star: bool = False


@dataclass(frozen=True)
class Conditions:
    """A request's preconditions; None for a field it did not send or that is ignored."""

    if_match: ETags | None = None
    if_unmodified_since: datetime | None = None
    if_none_match: ETags | None = None
    if_modified_since: datetime | None = None
    #: GET or HEAD: a failed If-None-Match or If-Modified-Since gives 304 (§13.2.2).
    reading: bool = False

    def failure(self, current: Validators | None) -> Failure | None:
        """Return the precondition that fails for ``current`` (None: no representation)."""
        # 1. If-Match, strong comparison (§13.1.1): "*" needs a representation; a weak tag
        #    on either side never matches.
        if self.if_match is not None:
            if current is None or not (
                self.if_match.star_tag
                or (not current.weak and self.if_match.is_strong(current.etag))
            ):
                return Failure(HTTPStatus.PRECONDITION_FAILED, "If-Match")
        # 2. If-Unmodified-Since, only without If-Match and where there is a date (§13.1.4).
        elif (
            self.if_unmodified_since is not None
            and current is not None
            and current.last_modified is not None
            and current.last_modified > self.if_unmodified_since
        ):
            return Failure(HTTPStatus.PRECONDITION_FAILED, "If-Unmodified-Since")
        # 3. If-None-Match, weak comparison (§13.1.2): "*" matches any representation.
        if self.if_none_match is not None:
            if current is not None and self.if_none_match.contains_weak(current.etag):
                return Failure(self._refusal, "If-None-Match", star=self.if_none_match.star_tag)
        # 4. If-Modified-Since, for GET and HEAD only, without If-None-Match (§13.1.3).
        elif (
            self.reading
            and self.if_modified_since is not None
            and current is not None
            and current.last_modified is not None
            and current.last_modified <= self.if_modified_since
        ):
            return Failure(HTTPStatus.NOT_MODIFIED, "If-Modified-Since")
        return None

    @property
    def _refusal(self) -> HTTPStatus:
        """Return the status a failed If-None-Match gives: 304 for GET and HEAD, else 412."""
        return HTTPStatus.NOT_MODIFIED if self.reading else HTTPStatus.PRECONDITION_FAILED


#: A request that sends no precondition.
UNCONDITIONAL = Conditions()


def request_conditions(request: Request) -> Conditions:
    """Return the preconditions ``request`` sends, as RFC 9110 §13.1 says to read them."""
    environ = request.environ
    if not any(key in environ for key in CONDITION_KEYS):
        return UNCONDITIONAL  # the usual request: nothing to parse
    reading = request.method in READ_METHODS
    if_match = _etags(environ.get("HTTP_IF_MATCH"))
    if_none_match = _etags(environ.get("HTTP_IF_NONE_MATCH"))
    return Conditions(
        if_match=if_match,
        # Ignored beside If-Match (§13.1.4), and a date that does not parse is ignored.
        if_unmodified_since=None
        if if_match is not None
        else parse_date(environ.get("HTTP_IF_UNMODIFIED_SINCE")),
        if_none_match=if_none_match,
        # Ignored beside If-None-Match, and for methods other than GET and HEAD (§13.1.3).
        if_modified_since=parse_date(environ.get("HTTP_IF_MODIFIED_SINCE"))
        if reading and if_none_match is None
        else None,
        reading=reading,
    )


#: Why a page refuses a failed If-Match: its tag is weak (web/caching.py, page_cache.py).
PAGE_IF_MATCH_FAILED = (
    "A page's entity tag is weak (W/), and If-Match compares tags strongly (RFC 9110 "
    "§13.1.1), so only If-Match: * matches a page. Pages take If-None-Match (304)."
)


def page_failure(request: Request, etag: str) -> Failure | None:
    """Return the precondition a page with the weak tag ``etag`` fails, if any.

    A page has no Last-Modified, so If-Modified-Since and If-Unmodified-Since are
    ignored (§13.1.3, §13.1.4).
    """
    return request_conditions(request).failure(Validators(etag, weak=True))


def _etags(value: str | None) -> ETags | None:
    """Return the entity tags a field lists, or None when it was not sent."""
    return None if value is None else parse_etags(value)
