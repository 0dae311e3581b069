"""Write ``index.html``: every screenshot of the run, labelled by page, viewport and scheme.

Beside a screenshot the audit may leave ``<shot>--axe.json`` (accessibility
violations), ``<shot>--visual.txt`` (the outcome of a baseline comparison) and,
on a mismatch, ``<shot>--baseline.png`` and ``<shot>--diff.png``.
"""

from collections.abc import Iterable
from html import escape
from pathlib import Path

from e2e.site_pages import SitePage

# Visual outcomes (e2e/test_every_page.py) that need no one's attention.
GOOD_OUTCOMES = ("matches its baseline", "baseline rewritten")


def shot_name(page: SitePage, viewport: str, scheme: str) -> str:
    """Return the file name stem of one screenshot: page, viewport and colour scheme."""
    return f"{page.slug}--{viewport}--{scheme}"


def shot_file(stem: str, compared: bool) -> str:
    """Return a screenshot's file name: PNG if compared with a baseline, else JPEG.

    PNG is lossless, as a pixel comparison needs; JPEG takes the browser half the time.
    """
    return f"{stem}.png" if compared else f"{stem}.jpeg"


def write_gallery(
    folder: Path, pages: Iterable[SitePage], viewports: Iterable[str], schemes: Iterable[str]
) -> Path:
    """Write the gallery page for the screenshots in ``folder`` and return its path."""
    sections, listed = [], set()
    for page in pages:
        figures = [
            figure(
                folder, shot_name(page, viewport, scheme), f"{page.title} — {viewport}, {scheme}"
            )
            for viewport in viewports
            for scheme in schemes
        ]
        sections.append(
            f"<section><h2>{escape(page.title)} <code>{escape(page.path)}</code></h2>"
            f'<div class="row">{"".join(figures)}</div></section>'
        )
        listed |= {
            shot_name(page, viewport, scheme) for viewport in viewports for scheme in schemes
        }
    # Shots that tests took of a page's later states (after a click), named as above.
    others = sorted(
        shot.stem
        for shot in folder.iterdir()
        if shot.suffix in (".png", ".jpeg")
        and shot.stem not in listed
        and not shot.stem.endswith(("--baseline", "--diff"))
    )
    if others:
        figures = [figure(folder, stem, stem.replace("--", " — ")) for stem in others]
        sections.append(
            f'<section><h2>Other states</h2><div class="row">{"".join(figures)}</div></section>'
        )
    index = folder / "index.html"
    index.write_text(GALLERY_PAGE.format(sections="\n".join(sections)), encoding="utf-8")
    return index


def figure(folder: Path, stem: str, caption: str) -> str:
    """Return one screenshot's figure, with its audit notes, or say it was not taken."""
    shots = [
        name for name in (shot_file(stem, True), shot_file(stem, False)) if (folder / name).exists()
    ]
    if not shots:
        return f'<p class="missing">{escape(caption)}: not taken (its test failed)</p>'
    notes = []
    if (folder / f"{stem}--axe.json").exists():
        notes.append(f'<a class="bad" href="{stem}--axe.json">accessibility violations</a>')
    if (folder / f"{stem}--visual.txt").exists():
        outcome = (folder / f"{stem}--visual.txt").read_text(encoding="utf-8")
        notes.append(
            f'<span class="{"" if outcome.startswith(GOOD_OUTCOMES) else "bad"}">'
            f"{escape(outcome)}</span>"
        )
    images = [
        f'<a href="{shots[0]}"><img src="{shots[0]}" alt="{escape(caption)}" loading="lazy"></a>'
    ]
    for extra in ("baseline", "diff"):
        if (folder / f"{stem}--{extra}.png").exists():
            images.append(
                f'<a href="{stem}--{extra}.png"><img src="{stem}--{extra}.png" '
                f'alt="{escape(caption)}: {extra}" loading="lazy"></a>'
            )
    return (
        f"<figure>{''.join(images)}<figcaption>{escape(caption)}"
        f"{''.join(f'<br>{note}' for note in notes)}</figcaption></figure>"
    )


GALLERY_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>HTTP Methods Lab — screenshots</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem; }}
.row {{ display: flex; gap: 1.5rem; align-items: flex-start; flex-wrap: wrap; }}
figure {{ margin: 0; }}
img {{ max-width: 420px; max-height: 640px; border: 1px solid #ccc; margin-right: 0.5rem; }}
.bad {{ color: #b3261e; font-weight: bold; }}
</style>
</head>
<body>
<h1>HTTP Methods Lab — screenshots</h1>
<p>Every page at each viewport: the whole page in the light colour scheme, the first screen in
dark (the whole page where it is compared with a baseline). Accessibility reports and visual
comparisons with the committed baselines appear under the shots they concern.</p>
{sections}
</body>
</html>
"""
