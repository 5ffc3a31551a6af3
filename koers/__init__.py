"""The ``koers`` command line: the outermost layer, composing bot, ingest, evals and the UI process."""
