"""Archive runs: ``referat_nlp.batch`` over folders of thousands of files.

``runs`` finds the files, resumes from the ``ledger`` (one SQLite row per file),
groups bilag with their referat (``bilag``) and hands each file to ``worker`` on an
execution engine (``engines``: processes, or a Dask cluster). The package is not
named ``batch`` so that it does not shadow the public function ``referat_nlp.batch``.
"""
