"""Where notebooks run: warm kernels, worker processes, the in-process path, and their clean-up.

:mod:`~kepatuhan.pipeline.runtime.skip_iri_checker` is imported first, here, so that no module of this package
(nor a worker process, which unpickles its start function from here) loads nbformat before it.
"""

import kepatuhan.pipeline.runtime.skip_iri_checker  # noqa: F401 - before any nbformat import, to keep it cheap
