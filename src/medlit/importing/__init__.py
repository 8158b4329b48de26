"""The import: documents -> records -> matched and merged papers in the catalog."""
