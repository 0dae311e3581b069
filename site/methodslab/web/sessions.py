"""The visitor's signed session cookie: checked once, signed again only when it changes.

Flask's own cookie session builds its signer anew on every request, checks the
cookie's signature every time it comes back and, for a permanent session, signs
and sends the whole cookie again with every answer, so that it expires a set
time after the last visit. Together that cost more than a note's database
write. Here the signer is made once per secret key; a cookie whose signature
was checked is remembered (by its whole value, signature included, so only a
cookie this site signed can be found there); and an unchanged cookie is sent
again only once it is a day old: it still expires PERMANENT_SESSION_LIFETIME
after the last visit, to within a day.
"""

import time
from collections.abc import Callable
from functools import lru_cache

from flask import Flask, Request, Response
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface, SessionMixin
from itsdangerous import BadSignature, URLSafeTimedSerializer, base64_decode, base64_encode

from methodslab.web.caching import vary_on

#: The session cookie's name: it holds the visitor's sandbox id and form token.
COOKIE_NAME = "sandbox"
#: An unchanged cookie is signed and sent again once it is this old.
RESIGN_AFTER_SECONDS = 24 * 3600
#: How many checked cookies each process remembers, one a recent visitor: with the cookie
#: and its session's text, about half a kilobyte each (a few kilobytes at most).
REMEMBERED_COOKIES = 4096


class SignedSession(SecureCookieSession):
    """A cookie session that knows when its cookie was signed (None: never, or not readable)."""

    signed_at: float | None = None
    # A cookie signed for this session while the page was drawn (a page that shows it):
    # the session's text then, and the cookie. The response sends that very cookie.
    presigned: tuple[str, str] | None = None


class SignedSessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie session, with its signer kept and its cookie re-sent less often."""

    session_class = SignedSession

    def __init__(self) -> None:
        # The keys a signer was made for, the signer, and its checked cookies:
        # made again (and the cookies forgotten) only if the keys change.
        self._signer: tuple[tuple[object, ...], URLSafeTimedSerializer | None] = ((), None)
        self._checked: Callable[[str], tuple[str, float]] = self._check

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        """Return the signer for the app's secret key and fallbacks, made once for them."""
        keys = (app.secret_key, *(app.config["SECRET_KEY_FALLBACKS"] or ()))
        if self._signer[0] != keys:
            self._signer = (keys, super().get_signing_serializer(app))
            self._checked = lru_cache(maxsize=REMEMBERED_COOKIES)(self._check)
        return self._signer[1]

    def _check(self, cookie: str) -> tuple[str, float]:
        """Return a cookie's session as the serializer's text, and when it was signed.

        Raises BadSignature for a cookie this site did not sign (not remembered).
        Kept as text, not as the session itself, so that a request changing its
        session in place cannot change what the next request reads.
        """
        signer = self._signer[1]
        assert signer is not None
        data, signed_at = signer.loads(cookie, return_timestamp=True)
        # itsdangerous decodes the signature leniently: base64 skips characters outside
        # its alphabet ("sig!!!!") and padding. Only the signature as written here is
        # accepted, so one signed cookie has one spelling (and one place in the memo).
        # The signed part is the MAC's input, so it has a single spelling already.
        signature = cookie.rpartition(".")[2].encode()
        if base64_encode(base64_decode(signature)) != signature:
            raise BadSignature("The signature is not written as this site writes it.")
        return self.serializer.dumps(data), signed_at.timestamp()

    def open_session(self, app: Flask, request: Request) -> SignedSession | None:
        """Read the session from its cookie, noting when the cookie was signed."""
        signer = self.get_signing_serializer(app)
        if signer is None:
            return None
        cookie = request.cookies.get(self.get_cookie_name(app))
        if not cookie:
            return self.session_class()
        try:
            data, signed_at = self._checked(cookie)
        except BadSignature:  # forged or tampered with: start afresh
            return self.session_class()
        # Expired, or signed in the future (as itsdangerous's max_age check refuses).
        if not 0 <= time.time() - signed_at <= app.permanent_session_lifetime.total_seconds():
            return self.session_class()
        session = self.session_class(self.serializer.loads(data))
        session.signed_at = signed_at
        return session

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        """Send the session's cookie if it must be, as Flask does; skip that work if not."""
        if session and not self.should_set_cookie(app, session):
            if session.accessed:
                vary_on(response, "Cookie")
            return
        presigned = getattr(session, "presigned", None)
        if session and presigned and presigned[0] == self.serializer.dumps(dict(session)):
            # The cookie the page shows, so that the page and the cookie agree.
            response.set_cookie(
                self.get_cookie_name(app),
                presigned[1],
                expires=self.get_expiration_time(app, session),
                httponly=self.get_cookie_httponly(app),
                domain=self.get_cookie_domain(app),
                path=self.get_cookie_path(app),
                secure=self.get_cookie_secure(app),
                partitioned=self.get_cookie_partitioned(app),
                samesite=self.get_cookie_samesite(app),
            )
            vary_on(response, "Cookie")
            return
        super().save_session(app, session, response)

    def cookie_for(self, app: Flask, session: SessionMixin, sent: str | None) -> str:
        """Return a cookie value for ``session``: ``sent``, or the one this response sets."""
        if sent and not session.modified:
            return sent
        text = self.serializer.dumps(dict(session))
        presigned = getattr(session, "presigned", None)
        if presigned is None or presigned[0] != text:
            signer = self.get_signing_serializer(app)
            assert signer is not None
            presigned = (text, signer.dumps(dict(session)))
            session.presigned = presigned  # type: ignore[attr-defined]
        return presigned[1]

    def should_set_cookie(self, app: Flask, session: SessionMixin) -> bool:
        """Send the cookie when the session changed, or when a permanent one is a day old."""
        if session.modified:
            return True
        if not (session.permanent and app.config["SESSION_REFRESH_EACH_REQUEST"]):
            return False
        signed_at = getattr(session, "signed_at", None)
        return signed_at is None or time.time() - signed_at >= RESIGN_AFTER_SECONDS
