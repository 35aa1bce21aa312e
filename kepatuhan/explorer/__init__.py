"""The explorer for JupyterLab (``kp.explore``): controls, tabs, hover values, sortable tables, downloads."""

from kepatuhan.explorer.widget import Explorer, explore

__all__ = ["Explorer", "explore"]
