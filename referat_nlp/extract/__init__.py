"""Extraction: the fields of a meeting and of each agenda item.

``meeting`` reads the head (municipality, body, date, place, participants);
``item`` builds each agenda item from its segment (title, status, case numbers,
sections, decision, bilag); ``amounts``, ``case_numbers``, ``dates`` and ``names``
are the span finders it uses, also registered as spaCy components
(:mod:`referat_nlp.components`).
"""
