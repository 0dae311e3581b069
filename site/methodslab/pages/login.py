"""The tutorial's login, corrected: a form sends ``nm`` by POST or GET to
``/login``, which redirects to a welcome page for that name."""

from dataclasses import dataclass
from http import HTTPStatus

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import BadRequestKeyError

from methodslab.pages.names import MAX_NAME_LENGTH, check_name, form_encode
from methodslab.web.page_cache import cached_page
from methodslab.web.raw_http import raw_message
from methodslab.web.source_code import source_of

bp = Blueprint("login", __name__)

# 303 See Other: fetch the result with GET, so that reloading the welcome
# page never sends the form a second time (Post/Redirect/Get).
REDIRECT_STATUS = HTTPStatus.SEE_OTHER
bp.add_app_template_filter(form_encode)


@dataclass(frozen=True)
class Variant:
    """One way of sending the login form, and where its name travels."""

    slug: str
    method: str
    part: str
    reader: str


VARIANTS = {
    variant.slug: variant
    for variant in (
        Variant("post", "POST", "request body", 'request.form["nm"]'),
        Variant("get", "GET", "query string", 'request.args.get("nm")'),
    )
}


@bp.get("/login/<any(post, get):variant>")
def form(variant: str) -> ResponseReturnValue:
    """Show the login form that sends the name by ``variant``."""
    return cached_page(lambda: render_form(VARIANTS[variant]))


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    """Read the name from the body (POST) or the query string (GET), then redirect."""
    submitted: str | None  # None: the query string had no nm
    if request.method == "POST":
        variant, submitted = VARIANTS["post"], request.form["nm"]
    else:
        variant, submitted = VARIANTS["get"], request.args.get("nm")
    checked = check_name(submitted)
    if checked.problem:
        return render_form(variant, checked.problem, submitted), 400
    return redirect(url_for(".welcome", name=checked.name, via=variant.slug), REDIRECT_STATUS)


@bp.errorhandler(BadRequestKeyError)
def missing_name(error: BadRequestKeyError) -> ResponseReturnValue:
    """Bring the POST form back when its body had no ``nm`` field."""
    return render_form(VARIANTS["post"], check_name(None).problem), 400


@bp.get("/success/<name:name>", merge_slashes=False)
def welcome(name: str) -> ResponseReturnValue:
    """Greet ``name`` and say how it reached this page."""
    checked = check_name(name)
    if checked.problem:
        return render_form(VARIANTS["post"], checked.problem, name), 400
    arrival = VARIANTS.get(request.args.get("via", ""))
    return render_template(
        "login/welcome.html",
        name=checked.name,
        arrival=arrival,
        redirect_status=REDIRECT_STATUS,
        steps=arrival and steps_of(arrival, checked.name),
    )


def steps_of(arrival: Variant, name: str) -> list[str]:
    """Return the raw requests and redirect that brought ``name`` to the welcome page."""
    # Host is the one header field every HTTP/1.1 request must carry (RFC 9112 §3.2);
    # the browser's other fields are left out, and the page says so.
    host = [("Host", request.host)]
    body = form_encode(name)
    if arrival.slug == "post":
        form_type = ("Content-Type", "application/x-www-form-urlencoded")
        length = ("Content-Length", str(len(body)))  # form_encode's output is ASCII
        sent = raw_message("POST /login HTTP/1.1", [*host, form_type, length], body)
    else:
        sent = raw_message(f"GET /login?{body} HTTP/1.1", host)
    location = url_for(".welcome", name=name, via=arrival.slug)
    status = f"HTTP/1.1 {REDIRECT_STATUS.value} {REDIRECT_STATUS.phrase}"
    redirected = raw_message(status, [("Location", location)])
    return [sent, redirected, raw_message(f"GET {location} HTTP/1.1", host)]


def render_form(variant: Variant, problem: str = "", typed: str | None = "") -> str:
    """Render ``variant``'s form page, with a problem to fix if there is one."""
    return render_template(
        "login/form.html",
        variant=variant,
        problem=problem,
        typed=typed or "",
        handler_source=source_of(login),
        max_name_length=MAX_NAME_LENGTH,
    )
