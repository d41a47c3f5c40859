"""Pure domain rules and reference tables: no I/O beyond reading bundled package data."""
