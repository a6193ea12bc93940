"""Allow `python -m adlint`."""

from adlint.cli import main_entry

main_entry()
