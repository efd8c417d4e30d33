"""Search: the index built from JSON outputs, and everything that queries it.

``index`` turns referater into search rows and runs queries; ``tables`` is the one
schema of those rows; ``sqlite`` and ``postgres`` are the two stores; ``query`` is
the query language and its filters; ``stemming`` the Danish stemmer both stores and
the query share; ``elasticsearch`` exports bulk files; ``datasette`` is the plugin.
"""
