"""The publisher compliance report: aggregate findings site-wide, render HTML, Markdown, JSON.

aggregate.py counts (file by file, memory flat) into the frozen model in model.py;
html.py, markdown.py and json.py only render that model and never read files.
"""

DEFAULT_TOP = 25
"""Worst files listed with their details unless `--top` says otherwise."""
