"""Write ``index.html``: every screenshot of the run, labelled by page and viewport."""

from collections.abc import Iterable, Mapping
from html import escape
from pathlib import Path
from typing import Any

from site_pages import SitePage


def screenshot_name(page: SitePage, viewport: str) -> str:
    """Return the file name of ``page``'s screenshot at ``viewport``."""
    return f"{page.slug}--{viewport}.png"


def write_gallery(folder: Path, pages: Iterable[SitePage], viewports: Mapping[str, Any]) -> Path:
    """Write the gallery page for the screenshots in ``folder`` and return its path."""
    sections = []
    for page in pages:
        figures = []
        for viewport in viewports:
            name = screenshot_name(page, viewport)
            caption = f"{escape(page.title)} — {viewport}"
            if (folder / name).exists():
                figures.append(
                    f'<figure><a href="{name}"><img src="{name}" alt="{caption}" '
                    f'loading="lazy"></a><figcaption>{caption}</figcaption></figure>'
                )
            else:
                figures.append(f"<p>{caption}: not taken (its test failed)</p>")
        sections.append(
            f"<section><h2>{escape(page.title)} <code>{escape(page.path)}</code></h2>"
            f'<div class="row">{"".join(figures)}</div></section>'
        )
    index = folder / "index.html"
    index.write_text(GALLERY_PAGE.format(sections="\n".join(sections)), encoding="utf-8")
    return index


GALLERY_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>HTTP Methods Lab — screenshots</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem; }}
.row {{ display: flex; gap: 2rem; align-items: flex-start; flex-wrap: wrap; }}
figure {{ margin: 0; }}
img {{ max-width: 640px; max-height: 640px; border: 1px solid #ccc; }}
</style>
</head>
<body>
<h1>HTTP Methods Lab — screenshots</h1>
{sections}
</body>
</html>
"""
