"""Structure: from a reader's blocks to agenda items and their sections.

``layout`` cleans what readers give (running headers and footers, page numbers,
hyphenation, collapsed lines) into lines with their styles; ``sections`` knows the
section headings (Sagsfremstilling, Indstilling, Beslutning …); ``segment`` cuts
the lines into the meeting head and the agenda items, using the table of contents,
item numbers, status markers and repeated section sequences together.
"""
