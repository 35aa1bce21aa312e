"""The analysis' parameters, each with its one default and its type.

The run's options (``--year``, ``--province``, ``--min-drop``, ``--compare-across-methods``), the analysis
functions, the stage functions the notebooks call and the API take their defaults from :data:`DEFAULTS`;
the notebooks' ``parameters`` cells keep literal defaults (papermill reads them), held equal to these by a
test. Loading this module costs nothing: the command line reads it before any table is loaded.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Analysis:
    """What a brief's tables depend on besides the data."""

    #: The assessment year; 0 means the latest year with data.
    year: int = 0
    #: The province, canonical; empty means every province (the national overview).
    province: str = ""
    #: The smallest fall in points that counts as "turun".
    min_drop: float = 0.01
    #: Also flag falls across a change of method (marked ``beda_metode``).
    compare_across_methods: bool = False


#: The default of each analysis parameter.
DEFAULTS = Analysis()
