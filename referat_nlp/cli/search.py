"""``referat-nlp search``: ranked agenda items (and bilag no item lists) from a
search index."""

from __future__ import annotations

import json
import sys

import click

from referat_nlp.document import DecisionLabel
from referat_nlp.errors import SearchError
from referat_nlp.search import index
from referat_nlp.search.query import Filters, parse


@click.command("search")
@click.argument("query", required=False, default="")
@click.option(
    "--db",
    default="referater.db",
    show_default=True,
    help="SQLite file, or a postgresql:// URL.",
)
@click.option(
    "--decision",
    type=click.Choice([label.value for label in DecisionLabel]),
    help="Only items with this decision label.",
)
@click.option("--body", help="Only meetings of this body (part of the name).")
@click.option("--municipality", help="Only this municipality (part of the name).")
@click.option("--from", "date_from", help="Meetings on or after YYYY[-MM[-DD]].")
@click.option("--to", "date_to", help="Meetings on or before YYYY[-MM[-DD]].")
@click.option("--min-amount", type=float, help="Items with an amount ≥ this (DKK).")
@click.option("--max-amount", type=float, help="Items with an amount ≤ this (DKK).")
@click.option("--case", help="Items with this case or document number.")
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the hits as JSON.")
def command(query: str, db: str, limit: int, as_json: bool, **filters: object) -> None:
    """Search agenda items and bilag; the best matches come first.

    Words match in any inflection ("indkøbsaftaler" finds "indkøbsaftale"), case
    and accents aside, and "aa" matches "å" (Aabenraa = Åbenrå). QUERY syntax:
    words (all must match), "a phrase", OR, NOT or -word to exclude, word* for
    a prefix, brackets. QUERY may be left out when a filter is given (then only
    items are listed). Bilag that no agenda item lists are searched too; the
    decision, amount and case filters leave them out.

    \b
    Examples:
      referat-nlp search indkøbsaftaler
      referat-nlp search "svømmehal renovering" --decision godkendt --from 2010
      referat-nlp search skolebus* --municipality Brønderslev --json
      referat-nlp search --case 18/18284
      referat-nlp search anlægsbevilling --min-amount 1000000 --max-amount 5e6
    """
    try:  # a bad query or filter is a usage error (exit 2) …
        checked = Filters.checked(**filters)
        node = parse(query)
    except SearchError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(2)
    if node is None and checked == Filters():
        raise click.UsageError("give QUERY words (not only stop words) or a filter")
    try:  # … a missing index or server is a failed input (exit 1)
        hits = index.search(db, query, limit=limit, **filters)  # type: ignore[arg-type]
    except SearchError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(1)
    if as_json:
        data = [hit.to_dict() for hit in hits]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    elif not hits:
        click.echo("no hits", err=True)
    for rank, hit in enumerate([] if as_json else hits, 1):
        click.echo(format_hit(rank, hit))


def format_hit(rank: int, hit: index.Hit) -> str:
    """Three lines per hit: meeting and item (or bilag), decision and source,
    snippet."""
    meeting = " · ".join(x for x in (hit.municipality, hit.body, hit.date) if x)
    where = hit.source_path or hit.sha256[:12]
    if hit.page is not None:
        where += f", page {hit.page}"
    if hit.attachment is not None:
        unit, facts = f"bilag '{hit.attachment}' (no agenda item)", []
    else:
        unit = f"item {hit.item_number}: {hit.item_title}"
        facts = [hit.decision_label or "no decision"]
        facts += [f"case {c}" for c in hit.case_numbers]
    facts += [where, f"score {hit.score:.2f}"]
    return f"{rank}. {meeting} · {unit}\n   {' · '.join(facts)}\n   {hit.snippet}"
