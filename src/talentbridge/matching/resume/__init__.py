"""Résumés: reading uploaded files (``files``), finding entities in their text
(``entities``), and turning those into suggestions the student confirms (``suggest``)."""
