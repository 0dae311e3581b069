"""Show students the code that really runs, read from the running program."""

import inspect
import textwrap
from collections.abc import Callable
from functools import cache
from typing import Any


@cache
def source_of(function: Callable[..., Any]) -> str:
    """Return the source of ``function``, decorators included, as written."""
    return textwrap.dedent(inspect.getsource(function))
