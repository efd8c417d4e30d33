"""Development tools, kept out of the installed package: ``python -m tools.render
corpus/`` builds the sample corpus's DOCX, PDF and HTML renderings."""
