"""adlint: audit articles for affiliate links, ad units, tracking pixels and broken links."""

__version__ = "0.1.0"
