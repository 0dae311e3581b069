"""Flask's signed-cookie sessions, without their cost on requests that carry no cookie."""

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface


class LazySessionInterface(SecureCookieSessionInterface):
    """Skip building the cookie signer when the request has no session cookie.

    Most requests (the lessons, assets, curl) carry none, and Flask's own
    interface builds the signer for every request first.
    """

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        """Return an empty session at once when no session cookie came."""
        if self.get_cookie_name(app) not in request.cookies:
            return self.session_class()
        return super().open_session(app, request)
