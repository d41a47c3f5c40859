"""Reading input files and the bookkeeping shared by every importer."""
