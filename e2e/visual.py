"""Pixel comparison of screenshots with committed baselines (Pillow)."""

from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops

BASELINES = Path(__file__).parent / "baselines"
#: The browser build that made the baselines; other builds render text differently.
BASELINE_BROWSER = BASELINES / "BROWSER.txt"
#: A pixel counts as changed when a colour channel moves by more than this (of 255):
#: anti-aliasing jitter stays under it, a changed word or colour does not.
CHANNEL_TOLERANCE = 24
#: The shot matches when at most this share of its pixels changed.
PIXEL_TOLERANCE = 0.001


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
