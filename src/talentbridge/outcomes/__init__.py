"""Employment outcomes (issue 8): placement records, indicators and recruiting efficiency."""
