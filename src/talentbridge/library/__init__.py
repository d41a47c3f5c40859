"""Bilingual resource libraries: files, resources, metadata, term base and search."""
