"""Pixel comparison of screenshots with committed baselines (Pillow), one set per browser.

Text renders a little differently in each browser and version, so each has
baselines of its own: ``baselines/<browser>-<major version>/``. Within a
major version the tolerances below absorb anti-aliasing jitter between builds.
"""

import os
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops

BASELINES = Path(__file__).parent / "baselines"
#: A pixel counts as changed when a colour channel moves by more than this (of 255):
#: anti-aliasing jitter stays under it, a changed word or colour does not.
CHANNEL_TOLERANCE = 24
#: The shot matches when at most this share of its pixels changed.
PIXEL_TOLERANCE = 0.001


def baselines_for(browser_name: str, browser_version: str) -> Path:
    """Return the folder of baselines made by this browser (name and major version)."""
    return BASELINES / f"{browser_name}-{browser_version.split('.')[0]}"


def missing_baselines_fail() -> bool:
    """Tell whether a missing baseline fails the test: on CI (``CI`` set) it does.

    Elsewhere it is a warning, so a developer with another browser build can run
    the suite; CI must compare, or fail saying what to commit.
    """
    return os.environ.get("CI", "").lower() not in ("", "0", "false")


@dataclass(frozen=True)
class Comparison:
    """How a new screenshot differs from its baseline."""

    changed_share: float
    size_matches: bool
    diff: Image.Image | None

    @property
    def matches(self) -> bool:
        """Tell whether the shot is within the tolerances."""
        return self.size_matches and self.changed_share <= PIXEL_TOLERANCE


def compare(new_path: Path, baseline_path: Path) -> Comparison:
    """Compare two PNG files and return the share of pixels that changed, with a diff image."""
    new = Image.open(new_path).convert("RGB")
    baseline = Image.open(baseline_path).convert("RGB")
    if new.size != baseline.size:
        return Comparison(1.0, size_matches=False, diff=None)
    channels = ImageChops.difference(new, baseline).split()
    changed = ImageChops.lighter(ImageChops.lighter(channels[0], channels[1]), channels[2])
    mask = changed.point(lambda value: 255 if value > CHANNEL_TOLERANCE else 0)
    changed_pixels = mask.histogram()[255]
    # The diff: the baseline faded, with every changed pixel in red.
    diff = Image.blend(baseline, Image.new("RGB", baseline.size, "white"), 0.7)
    diff.paste(Image.new("RGB", baseline.size, (230, 0, 0)), mask=mask)
    return Comparison(changed_pixels / (new.width * new.height), size_matches=True, diff=diff)
