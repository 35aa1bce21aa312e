"""What a notebook may change in the process that runs it, recorded once and put back after each notebook.

Warm kernels (their warm-up and reset, see :mod:`.kernels`) and the in-process path (:mod:`.inprocess`)
both run notebooks one after another in one process; both call these two functions, so a brief looks
the same whichever ran it. Small on purpose: kernels import it.
"""

from __future__ import annotations

import gc
import importlib
import os
import warnings

#: What every notebook imports, imported once per process before its settings are recorded: importing
#: the charts applies the briefs' matplotlib and seaborn theme.
WARM_IMPORTS = (
    "kepatuhan.brief.sections",
    "kepatuhan.brief.charts",
    "kepatuhan.brief.maps",
    "kepatuhan.brief.workbook",
    "kepatuhan.analysis.declines",
    "kepatuhan.analysis.distribution",
    "kepatuhan.reading.ingest",
    "kepatuhan.pipeline.steps",
    "kepatuhan.schema",
)


def settle() -> tuple[str, dict]:
    """Import what notebooks need, then record the working directory and matplotlib settings (for
    :func:`put_back`). Last, ``gc.freeze()`` moves everything imported out of the garbage collector's
    view: a full collection (a kernel's ``%reset`` runs one) otherwise walks pandas, matplotlib and
    geopandas (0.15 s, then about 0.01 s); what notebooks create is still collected as before."""
    import matplotlib  # heavy

    for module in WARM_IMPORTS:
        importlib.import_module(module)
    recorded = (os.getcwd(), dict(matplotlib.rcParams))
    gc.collect()
    gc.freeze()
    return recorded


def put_back(recorded: tuple[str, dict]) -> None:
    """Close every figure, restore the matplotlib settings :func:`settle` recorded and pandas' defaults,
    and go back to the working directory it recorded."""
    import matplotlib  # heavy
    import matplotlib.pyplot as plt  # heavy
    import pandas as pd  # heavy

    plt.close("all")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        matplotlib.rcParams.update(recorded[1])
        pd.reset_option("all")
    os.chdir(recorded[0])
