"""Code for the course book *Classification: from scores to networks*.

Every function a chapter introduces is defined once in one of these modules
and imported by the chapters that use it. Every public name (each module's
``__all__``) is importable from the top level (``from book import softmax``),
except those of the modules that are not mathematics, which are imported from
the module named for their idea:

* ``book.learning_curves``: chapter 5b's experiment (``from book.learning_curves
  import learning_curves``; a top-level ``learning_curves`` would hide the module);
* ``book.plotting``: the book's figure style (it imports Matplotlib);
* ``book.figcheck``: the figure check of tests and strict nbval (it imports Matplotlib);
* ``book.widgets``, ``book.static_frames`` and ``book.explorers``: the explorer
  widgets (they import Matplotlib and ipywidgets). Importing ``book.explorers``
  registers every explorer in ``book.explorers.ALL``.

So ``import book`` loads NumPy and the book's own modules, and nothing else.

A module named like one of its functions is hidden by it: ``book.softmax`` is the
function (the star-import below binds the name after the module),
and so is ``import book.softmax as m`` (Python looks the name up on the package).
``from book.softmax import log_softmax`` reaches the module's names;
``importlib.import_module("book.softmax")`` or ``sys.modules["book.softmax"]`` gives the
module itself. Every model class follows one convention (``book.models``).
"""

from book.checks import *  # noqa: F401,F403
from book.numcheck import *  # noqa: F401,F403          derivative checks, printed errors as bounds
from book.softmax import *  # noqa: F401,F403            chapters 2-3
from book.models import *  # noqa: F401,F403             the convention every model shares
from book.softmax_regression import *  # noqa: F401,F403  chapters 1 and 3
from book.data import *  # noqa: F401,F403               chapter 1 and later
from book.scores import *  # noqa: F401,F403             chapter 1
from book.expfamily import *  # noqa: F401,F403          chapter 4 (book.families)
from book.generative import *  # noqa: F401,F403         chapter 5a
from book.logistic import *  # noqa: F401,F403           chapter 5b
from book.features import *  # noqa: F401,F403           chapter 6
from book.mlp import *  # noqa: F401,F403                chapter 6

#: The modules whose public names are imported from the module,
#: not from ``book`` (see above).
OWN_NAMESPACE = (
    "learning_curves",
    "plotting",
    "figcheck",
    "widgets",
    "static_frames",
    "explorers",
)
