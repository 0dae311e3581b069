"""The glossary: the words of HTTP the lessons use, each with an anchor and its source."""

from flask import Blueprint, Response, render_template, url_for
from markupsafe import Markup

from methodslab.glossary import TERMS, link_first_uses
from methodslab.web.page_cache import cached_page

bp = Blueprint("glossary", __name__)


def glossary_links(html: str) -> Markup:
    """Link the first use of each glossary term in a piece of a page to the glossary."""
    return link_first_uses(str(html), url_for("glossary.index"))


@bp.get("/glossary")
def index() -> Response:
    """Show every term, in the order a student meets them."""
    return cached_page(lambda: render_template("glossary.html", terms=TERMS))
