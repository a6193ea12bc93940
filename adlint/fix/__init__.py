"""`adlint fix`: turn fixable findings into minimal text edits and apply them safely.

actions.py declares the closed set of fix actions rules may name in YAML; edits.py turns a
finding into an edit on the source; apply.py resolves overlaps, applies the edits and writes
the file back byte-for-byte outside the edited spans.
"""
