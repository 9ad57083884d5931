"""The package itself: what `import book` loads, and where every public name is importable from."""
import importlib
import pkgutil
import subprocess
import sys

import pytest

import book


def test_import_book_loads_neither_widgets_nor_matplotlib_nor_the_explorers():
    code = "import sys, book; print(' '.join(sorted(sys.modules)))"
    loaded = set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                check=True).stdout.split())
    for heavy in ("ipywidgets", "matplotlib", "book.widgets", "book.explorers", "book.plotting", "PIL"):
        assert heavy not in loaded, f"import book imports {heavy}"


def test_importing_book_explorers_registers_every_explorer():
    code = ("import book.explorers, pkgutil; from book.explorers import ALL; "
            "print(len(ALL), len(list(pkgutil.iter_modules(book.explorers.__path__))))")
    n_explorers, n_modules = map(int, subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                                     check=True).stdout.split())
    assert n_explorers >= n_modules >= 1


MODULES = sorted(m.name for m in pkgutil.iter_modules(book.__path__) if m.name != "explorers")


@pytest.mark.parametrize("name", MODULES)
def test_every_public_name_is_importable_from_book_or_its_own_module(name):
    module = importlib.import_module(f"book.{name}")
    public = getattr(module, "__all__", None)
    assert public is not None, f"book.{name} lists no __all__"
    for attr in public:
        assert hasattr(module, attr), f"book.{name}.__all__ names {attr!r}, which it does not define"
        if name not in book.OWN_NAMESPACE:
            assert getattr(book, attr) is getattr(module, attr), f"book.{attr} is not book.{name}.{attr}"


def test_no_two_modules_export_the_same_name():
    owner = {}
    for name in MODULES:
        if name in book.OWN_NAMESPACE:
            continue
        for attr in importlib.import_module(f"book.{name}").__all__:
            assert attr not in owner, f"{attr} is exported by both book.{owner[attr]} and book.{name}"
            owner[attr] = name


def test_the_modules_outside_the_top_level_are_the_ones_the_docstring_names():
    for name in book.OWN_NAMESPACE:
        assert f"book.{name}" in book.__doc__


def test_a_module_named_like_its_function_is_reached_as_the_docstring_says():
    """book.softmax is the function (also through `import book.softmax as m`); the module is reachable too."""
    import book.softmax as hidden

    assert callable(book.softmax) and book.softmax is hidden
    module = importlib.import_module("book.softmax")
    assert module is sys.modules["book.softmax"] and module.softmax is book.softmax
    assert "importlib.import_module(\"book.softmax\")" in book.__doc__
