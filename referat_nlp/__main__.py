"""``python -m referat_nlp`` runs the command line."""

from referat_nlp.cli import main

main()
