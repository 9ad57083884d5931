"""Code for the course book *Classification: from scores to networks*.

Every function a chapter introduces is defined once in one of these modules
and imported by the chapters that use it; everything public is importable from
the top level (``from book import softmax``). Importing ``book`` also registers
every explorer widget in ``book.explorers.ALL``.
"""
from book.checks import *  # noqa: F401,F403
from book.numcheck import *  # noqa: F401,F403          printed errors as bounds
from book.softmax import *  # noqa: F401,F403            chapters 2-3
from book.softmax_regression import *  # noqa: F401,F403  chapters 1 and 3
from book.data import *  # noqa: F401,F403               chapter 1 and later
from book.scores import *  # noqa: F401,F403             chapter 1
from book.expfamily import *  # noqa: F401,F403          chapter 4 (book.families)
from book.generative import *  # noqa: F401,F403         chapter 5a
from book.logistic import *  # noqa: F401,F403           chapter 5b
from book.features import *  # noqa: F401,F403           chapter 6
from book.mlp import *  # noqa: F401,F403                chapter 6
from book import explorers  # noqa: F401,E402            registers every explorer
