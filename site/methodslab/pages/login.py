"""The tutorial's login, corrected: a form sends ``nm`` by POST or GET to
``/login``, which redirects to a welcome page for that name."""

from dataclasses import dataclass
from http import HTTPStatus

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from markupsafe import Markup
from werkzeug.exceptions import BadRequestKeyError

from methodslab.pages.names import MAX_NAME_LENGTH, check_name, form_encode
from methodslab.teaching.raw_http import Message
from methodslab.teaching.sequence_diagram import Note, Step, sequence_diagram
from methodslab.teaching.source_code import source_of
from methodslab.web.page_cache import cached_page

bp = Blueprint("login", __name__)

# 303 See Other: fetch the result with GET, so that reloading the welcome
# page never sends the form a second time (Post/Redirect/Get).
REDIRECT_STATUS = HTTPStatus.SEE_OTHER


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
    steps = steps_of(arrival, checked.name) if arrival else []
    return render_template(
        "login/welcome.html",
        name=checked.name,
        arrival=arrival,
        redirect_status=REDIRECT_STATUS,
        steps=[message.raw for message in steps],
        diagram=arrival and diagram_of(arrival, checked.name, steps),
    )


def steps_of(arrival: Variant, name: str) -> list[Message]:
    """Return the requests and redirect that brought ``name`` to the welcome page."""
    # Host is the one header field every HTTP/1.1 request must carry (RFC 9112 §3.2);
    # the browser's other fields are left out, and the page says so.
    host = ("Host", request.host)
    body = form_encode(name)
    if arrival.slug == "post":
        form_type = ("Content-Type", "application/x-www-form-urlencoded")
        length = ("Content-Length", str(len(body)))  # form_encode's output is ASCII
        sent = Message("POST /login HTTP/1.1", (host, form_type, length), body)
    else:
        sent = Message(f"GET /login?{body} HTTP/1.1", (host,))
    location = url_for(".welcome", name=name, via=arrival.slug)
    status = f"HTTP/1.1 {REDIRECT_STATUS.value} {REDIRECT_STATUS.phrase}"
    redirected = Message(status, (("Location", location),))
    return [sent, redirected, Message(f"GET {location} HTTP/1.1", (host,))]


def diagram_of(arrival: Variant, name: str, steps: list[Message]) -> Markup:
    """Draw the exchange that brought ``name`` here, ending with this page's 200."""
    sent, redirected, followed = steps
    items: list[Step | Note] = [
        Step.of(sent, ["Content-Type"], body=True),
        Step.of(redirected, ["Location"]),
        # RFC 9110 §15.4.4: after a 303 the client retrieves the Location with GET.
        Note("Your browser follows the redirect by itself, with GET."),
        Step.of(followed),
        Step("server", "200 OK", ("this welcome page",)),
    ]
    return sequence_diagram(
        items,
        name="login-exchange",
        title=f"How your name got here: {arrival.method}, "
        f"{REDIRECT_STATUS.value} {REDIRECT_STATUS.phrase}, GET",
        summary=f"Your browser sent the name {name} to /login by {arrival.method}; the server "
        f"answered with a redirect, which your browser followed to this page.",
    )


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
