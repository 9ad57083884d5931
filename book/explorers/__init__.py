"""Every explorer widget of the book, registered in ``ALL`` (name → function).

Each chapter's explorers live in a module of this package named for the idea
they show; importing this package imports them all, and each registers itself
with :func:`book.widgets.explorer`, so no shared list needs editing.
"""

import importlib
import pkgutil

from book.widgets import ALL, STATIC, explorer  # noqa: F401

for _module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    importlib.import_module(f"{__name__}.{_module}")
