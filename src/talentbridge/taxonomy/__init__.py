"""Majors (MOE catalog) and occupations, and the 对口 relation between them."""
