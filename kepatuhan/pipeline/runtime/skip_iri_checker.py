"""A start-up cost the pipeline's processes need not pay; import this module before nbformat.

jsonschema (imported by nbformat, hence by papermill and nbconvert) imports ``rfc3987_syntax`` when
it is installed (jupyter-events asks for it), and that package compiles 38 Lark grammars as it is
imported: about 0.75 s in every process, the run's own and each worker's. This is a known problem
(python-jsonschema/jsonschema#1428; the lazy fork ``rfc3987-syntax2`` is not used by jsonschema
4.26, the newest release). The checker it provides is only for the ``iri`` string format, which no
notebook schema uses, so the pipeline's processes go without it: jsonschema skips a checker whose
import fails. Nothing changes once jsonschema is loaded, and JupyterLab is not affected.
"""

import sys

if "jsonschema" not in sys.modules:
    sys.modules.setdefault("rfc3987_syntax", None)  # ``import rfc3987_syntax`` now fails at once
