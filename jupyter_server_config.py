"""JupyterLab for this project (``make lab``): the project's root, notebooks kept as recipes, nothing online.

- The root is the project, so ``notebooks/``, ``reports/`` and ``data/processed/`` are all reachable; the
  published briefs are also served at ``/kepatuhan/reports/index.html`` (``kepatuhan.explorer.lab``), where
  their links work (JupyterLab's own HTML view and ``/files/`` refuse links followed from a brief).
- Saving a notebook under ``notebooks/`` strips its outputs, execution counts and session metadata with
  nbstripout (as ``git`` should see it): the pipeline's notebooks stay recipes. Explorations go in
  ``scratch/`` (ignored by git and the pipeline), where ``make lab`` puts a copy of the explore notebook.
- No news feed and no update check: analysts often work offline.
"""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent
#: Folders (relative to the root) whose notebooks are recipes: saved without outputs.
RECIPES = ("notebooks/",)
#: What a session leaves in a notebook besides outputs and counts (nbstripout's own list, and the widgets).
SESSION_KEYS = [
    "metadata.widgets",
    "metadata.signature",
    "cell.metadata.collapsed",
    "cell.metadata.scrolled",
    "cell.metadata.ExecuteTime",
    "cell.metadata.execution",
    "cell.metadata.heading_collapsed",
    "cell.metadata.hidden",
    "cell.metadata.papermill",
    "metadata.papermill",
]


def strip_recipes(model, path, contents_manager=None, **kwargs):
    """Before JupyterLab writes a notebook under ``notebooks/``: drop its outputs, counts and session metadata."""
    if model.get("type") != "notebook" or not str(path).lstrip("/").startswith(RECIPES):
        return
    import nbformat
    from nbstripout import strip_output

    notebook = nbformat.from_dict(model["content"])
    model["content"] = strip_output(
        notebook, keep_output=False, keep_count=False, keep_id=True, extra_keys=SESSION_KEYS
    )


c = get_config()  # noqa: F821 (Jupyter's config files are run with get_config defined)
c.ServerApp.root_dir = str(ROOT)
c.ServerApp.jpserver_extensions = {"kepatuhan.explorer.lab": True}  # the briefs at /kepatuhan/reports/, links working
c.FileContentsManager.pre_save_hook = strip_recipes
c.LabApp.news_url = None
c.LabApp.check_for_updates_class = "jupyterlab.NeverCheckForUpdate"
c.LabApp.app_settings_dir = str(ROOT / "config" / "jupyterlab")  # overrides.json: no news prompt
if (ROOT / "scratch" / "04_explore.ipynb").exists():
    c.LabApp.default_url = "/lab/tree/scratch/04_explore.ipynb"
if hasattr(os, "geteuid") and os.geteuid() == 0:  # containers and CI machines run as root
    c.ServerApp.allow_root = True
