"""The search query language, parsed once and rendered for each back end.

A query is what a person types into ``referat-nlp search``::

    indkøbsaftaler                    every word must match, in any inflection
    "kommunal indkøbsaftale"          a phrase
    skole OR daginstitution           either
    budget NOT anlæg, budget -anlæg   exclude
    skole*                            prefix (skolebus, skoleudvalget …)
    (skole OR dagtilbud) renovering   grouping

Words go through :mod:`referat_nlp.stemming`, so the query matches what the index
stores. Parsing here (rather than passing the text to FTS5 or ``to_tsquery``) gives
both back ends the same syntax, the same results and one clear error message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from referat_nlp import stemming
from referat_nlp.errors import SearchError

# One query token: a quoted phrase (possibly unterminated), a bracket, or a word
# with an optional leading minus: '"kommunal indkøbsaftale"', '(', '-anlæg', 'skole*'.
RE_QUERY_TOKEN = re.compile(r'-?"[^"]*"?\*?|[()]|[^\s()"]+')
# What went wrong when a group ends before its first term, by the token that ended it.
EMPTY_GROUP = {")": "empty brackets '()'", "OR": "OR needs a search term before it"}


@dataclass(frozen=True)
class Term:
    """A word or phrase as folded words (unstemmed); ``prefix`` marks ``skole*``."""

    words: tuple[str, ...]
    prefix: bool = False

    @property
    def stems(self) -> tuple[str, ...]:
        return tuple(stemming.stem_words(self.words))


@dataclass(frozen=True)
class AllOf:
    """Every part must match; ``excluded`` parts must not."""

    parts: tuple[Node, ...]
    excluded: tuple[Node, ...] = ()


@dataclass(frozen=True)
class AnyOf:
    """At least one part must match."""

    parts: tuple[Node, ...]


Node = Term | AllOf | AnyOf


class _Parser:
    """Recursive descent over the tokens: or := and (OR and)*; and := unary+."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = RE_QUERY_TOKEN.findall(text)
        self.pos = 0

    def fail(self, detail: str) -> SearchError:
        return SearchError(f"query {self.text!r}", f"query syntax: {detail}")

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> str:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def parse(self) -> Node | None:
        node = self.any_of()
        if self.peek() == ")":
            raise self.fail("a ')' has no matching '('")
        return node

    def any_of(self) -> Node | None:
        parts = [self.all_of()]
        while self.peek() == "OR":
            self.take()
            if self.peek() in (None, ")", "OR"):
                raise self.fail("OR needs a search term after it")
            parts.append(self.all_of())
        kept = tuple(p for p in parts if p is not None)
        return kept[0] if len(kept) == 1 else (AnyOf(kept) if kept else None)

    def all_of(self) -> Node | None:
        parts: list[Node] = []
        excluded: list[Node] = []
        seen_any = False
        while self.peek() not in (None, ")", "OR"):
            token = self.peek()
            negated = token == "NOT" or (token or "").startswith("-")
            if token in ("AND", "NOT"):
                self.take()
                if self.peek() in (None, ")", "OR", "AND", "NOT"):
                    raise self.fail(f"{token} needs a search term after it")
            node = self.unary()
            seen_any = True
            if node is not None:
                (excluded if negated else parts).append(node)
        if not seen_any:
            raise self.fail(
                f"{self.peek() or 'the query'} needs a search term before it"
            )
        if excluded and not parts:
            raise self.fail(
                "NOT and '-' need a term to exclude from, e.g. 'budget -anlæg'"
            )
        if not parts:
            return None
        if len(parts) == 1 and not excluded:
            return parts[0]
        return AllOf(tuple(parts), tuple(excluded))

    def unary(self) -> Node | None:
        token = self.take()
        if token == "(":
            node = self.any_of()
            if self.peek() != ")":
                raise self.fail("a '(' is not closed")
            self.take()
            return node
        if token == ")":
            raise self.fail("a ')' has no matching '('")
        return _term(token.removeprefix("-"), self)


def _term(token: str, parser: _Parser) -> Term | None:
    """A word, ``word*`` or ``"a phrase"``; None when it holds only stop words."""
    prefix = token.endswith("*")
    body = token.rstrip("*")
    if body.startswith('"'):
        if len(body) < 2 or not body.endswith('"'):
            raise parser.fail('a quoted phrase is not closed with "')
        body = body[1:-1]
    words = tuple(stemming.words(body))
    return Term(words, prefix) if words else None


def parse(text: str) -> Node | None:
    """Parse a query; None when it has no searchable words (only stop words).

    Raises :class:`SearchError` with the reason for malformed queries.
    """
    if not text.strip():
        return None
    return _Parser(text).parse()


def to_fts5(node: Node) -> str:
    """The SQLite FTS5 MATCH expression over the stemmed shadow text."""
    if isinstance(node, Term):
        return '"' + " ".join(node.stems) + '"' + ("*" if node.prefix else "")
    if isinstance(node, AnyOf):
        return "(" + " OR ".join(to_fts5(p) for p in node.parts) + ")"
    expr = "(" + " AND ".join(to_fts5(p) for p in node.parts) + ")"
    return " NOT ".join([expr, *(to_fts5(p) for p in node.excluded)])


def to_tsquery(node: Node) -> str:
    """The PostgreSQL ``to_tsquery('danish', …)`` text over folded, unstemmed words.

    PostgreSQL stems the words itself with the same Snowball algorithm.
    """
    if isinstance(node, Term):
        quoted = [f"'{w}'" for w in node.words]
        if node.prefix:
            quoted[-1] += ":*"
        return "(" + " <-> ".join(quoted) + ")"
    if isinstance(node, AnyOf):
        return "(" + " | ".join(to_tsquery(p) for p in node.parts) + ")"
    parts = [to_tsquery(p) for p in node.parts]
    parts += ["!" + to_tsquery(p) for p in node.excluded]
    return "(" + " & ".join(parts) + ")"


def positive_terms(node: Node | None) -> list[Term]:
    """The terms a hit can contain (not the excluded ones), for highlighting."""
    if node is None:
        return []
    if isinstance(node, Term):
        return [node]
    return [t for part in node.parts for t in positive_terms(part)]
