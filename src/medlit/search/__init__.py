"""Finding papers: facet filters as SQL (query), fuzzy titles (fuzzy), counts (stats)."""
