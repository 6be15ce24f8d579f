"""Importing only what is used of a dependency, for a command that must answer at once.

A process that triages one case pays for every module its libraries import, used or not:
medspaCy imports QuickUMLS, NLTK and SciPy's statistics for a matcher we never run; the
packages of medspaCy and datasketch import every part they have before the one we use. These
context managers change what one `import` runs, and nothing else: the code that runs is the
library's own, and a later import of the rest runs as usual (docs/decisions/0004).
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import sys
import types
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any


@contextmanager
def imported_lazily(name: str) -> Iterator[None]:
    """Within the block, importing module `name` runs none of its code: that runs on the
    first use of one of its attributes (the standard library's `importlib.util.LazyLoader`).

    medspaCy imports QuickUMLS, whose matcher we never use, and QuickUMLS imports NLTK, which
    imports SciPy's statistics: a second of a case's run for nothing. spaCy imports langcodes
    (compiling a regular expression of every language tag) to match a language code it does
    not know, which `spacy.blank("en")` never asks. The lazy loader is
    handed out when the module is first imported, rather than put into `sys.modules` ahead
    of it as the documentation's recipe does, because Python 3.11 reads `__spec__` of a module
    it finds there at every `import` statement, and so would run it at once.
    """

    class Finder(importlib.abc.MetaPathFinder):
        def find_spec(
            self, fullname: str, path: Sequence[str] | None, target: Any = None
        ) -> importlib.machinery.ModuleSpec | None:
            if fullname != name:
                return None
            sys.meta_path.remove(self)  # once: the module's own imports are found as usual
            spec = importlib.util.find_spec(fullname)
            if spec is not None and spec.loader is not None:
                spec.loader = importlib.util.LazyLoader(spec.loader)
            return spec

    finder = Finder()
    if name not in sys.modules:
        sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        if finder in sys.meta_path:
            sys.meta_path.remove(finder)


@contextmanager
def without_the_packages_own_code(name: str) -> Iterator[None]:
    """Within the block, importing a module of package `name` does not run the package's own
    `__init__`, which imports every part of the package; only the modules asked for, and what
    they import, run.

    While the block lasts, the package is a stand-in over the same folder; it is removed
    afterwards, and a later `import name` runs the real one (which finds the parts imported
    already).
    """
    if name in sys.modules:
        yield
        return
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover - a dependency
        yield
        return
    stand_in = types.ModuleType(name)
    stand_in.__path__ = list(spec.submodule_search_locations)
    stand_in.__spec__ = spec
    sys.modules[name] = stand_in
    try:
        yield
    finally:
        if sys.modules.get(name) is stand_in:
            del sys.modules[name]
