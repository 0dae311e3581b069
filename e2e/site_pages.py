"""Every page of the site worth a screenshot, and the viewports to take them at."""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SitePage:
    """A page as a visitor reaches it, with the status it should answer."""

    slug: str
    title: str
    path: str
    status: int = 200


SITE_PAGES = (
    SitePage("home", "Home", "/"),
    SitePage("login-post", "Login by POST", "/login/post"),
    SitePage("login-get", "Login by GET", "/login/get"),
    SitePage("login-refused", "Login refusing a blank name", "/login?nm=+++", 400),
    SitePage("welcome-post", "Welcome after POST", "/success/Ada%20Lovelace?via=post"),
    SitePage("welcome-get", "Welcome after GET", "/success/AC%2FDC?via=get"),
    SitePage("welcome-direct", "Welcome opened directly", "/success/%D8%B3%D9%84%D8%A7%D9%85"),
    SitePage("not-found", "404 Not Found", "/no/such/page", 404),
)

VIEWPORTS: dict[str, dict[str, Any]] = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
}
