"""The search query language, parsed once and rendered for each back end.

A query is what a person types into ``referat-nlp search``::

    indkøbsaftaler                    every word must match, in any inflection
    "kommunal indkøbsaftale"          a phrase
    skole OR daginstitution           either
    budget NOT anlæg, budget -anlæg   exclude
    skole*                            prefix (skolebus, skoleudvalget …)
    (skole OR dagtilbud) renovering   grouping

Words go through :mod:`referat_nlp.search.stemming`, so the query matches what the index
stores. Parsing here (rather than passing the text to FTS5 or ``to_tsquery``) gives
both back ends the same syntax, the same results and one clear error message.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from referat_nlp.document import DecisionLabel
from referat_nlp.errors import SearchError
from referat_nlp.search import stemming

# One query token: a quoted phrase (possibly unterminated), a bracket, or a word
# with an optional leading minus: '"kommunal indkøbsaftale"', '(', '-anlæg', 'skole*'.
RE_QUERY_TOKEN = re.compile(r'-?"[^"]*"?\*?|[()]|[^\s()"]+')
# A date bound for --from/--to: "2019", "2019-06" or "2019-06-20".
RE_DATE_BOUND = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
# A label pasted with a case number: "Sagsnr.:", "j.nr.", "Dok.nr." (lower-cased).
RE_CASE_LABEL = re.compile(r"^(?:sags?nr|j\.?nr|dok\.?nr)\.?:?")
SNIPPET_WORDS = 24
MARK = "**"  # around matched words in snippets (Markdown bold)
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
        self.tokens: list[str] = RE_QUERY_TOKEN.findall(text)
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


# --- filters ---------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """Search filters, checked and normalised (see :func:`search`)."""

    decision: str | None = None
    body: str | None = None
    municipality: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    min_amount: float | None = None
    max_amount: float | None = None
    case: str | None = None

    @classmethod
    def checked(cls, **given: Any) -> Filters:
        """Validate user input; raises :class:`SearchError` naming the bad filter."""
        values = {k: v for k, v in given.items() if v not in (None, "")}
        if "decision" in values:
            values["decision"] = _decision_label(values["decision"])
        for name in ("body", "municipality"):
            if name in values:
                values[name] = " ".join(stemming.words(values[name]))
        for name in ("date_from", "date_to"):
            if name in values and not RE_DATE_BOUND.fullmatch(values[name]):
                raise SearchError(
                    f"{name} {values[name]!r}", "use YYYY, YYYY-MM or YYYY-MM-DD"
                )
        if "date_to" in values:  # "2019" must include 2019-12-31
            values["date_to"] += "-99-99"[len(values["date_to"]) - 4 :]
        if "case" in values:
            values["case"] = case_key(values["case"])
        return cls(**values)


def _decision_label(value: str) -> str:
    try:
        return DecisionLabel(value).value
    except ValueError:
        choices = ", ".join(label.value for label in DecisionLabel)
        raise SearchError(f"decision {value!r}", f"use one of {choices}") from None


def case_key(number: str) -> str:
    """A case number as compared in filters: "Sagsnr.: 18/ 18284" → "18/18284"."""
    return RE_CASE_LABEL.sub("", re.sub(r"\s+", "", number).lower())


# --- snippets --------------------------------------------------------------------


def snippet(
    texts: Sequence[str], terms: Sequence[Term], size: int = SNIPPET_WORDS
) -> str:
    """The window of ``size`` words with the most query terms, matches marked.

    Cut from the original text (not the shadow text), so it reads as printed:
    "… Byrådet **godkendte** **indkøbsaftalen** for …".
    """
    matches = _Matcher(terms)
    best: tuple[tuple[int, int, int], str, list[re.Match[str]], int] | None = None
    for rank, text in enumerate(texts):
        tokens = list(stemming.RE_TOKEN.finditer(text))
        hits = [n for n, m in enumerate(tokens) if matches(m[0])]
        starts = [max(0, h - 2) for h in hits] or [0]
        for start in starts:
            inside = [h for h in hits if start <= h < start + size]
            key = (len({tokens[h][0].lower() for h in inside}), len(inside), -rank)
            if tokens and (best is None or key > best[0]):
                best = (key, text, tokens, start)
    if best is None:
        return ""
    _, text, tokens, start = best
    window = tokens[start : start + size]
    return _render(text, window, matches, start > 0, len(tokens) > start + size)


class _Matcher:
    """Whether a printed word matches a query term ("godkendte" matches the term
    godkendt); each distinct word is stemmed once per snippet."""

    def __init__(self, terms: Sequence[Term]) -> None:
        self.stems = {s for t in terms if not t.prefix for s in t.stems}
        self.prefixes = tuple(s for t in terms if t.prefix for s in t.stems)
        self.seen: dict[str, bool] = {}

    def __call__(self, word: str) -> bool:
        found = self.seen.get(word)
        if found is None:
            found = any(
                s in self.stems or s.startswith(self.prefixes)
                for s in stemming.terms(word)
            )
            self.seen[word] = found
        return found


def _render(
    text: str, tokens: list[re.Match[str]], matches: _Matcher, before: bool, after: bool
) -> str:
    """The window's text with matches marked; the text's own punctuation is kept
    at an end the window reaches, an ellipsis marks a cut."""
    out, pos = [], tokens[0].start() if before else 0
    for m in tokens:
        out.append(text[pos : m.start()])
        out.append(f"{MARK}{m[0]}{MARK}" if matches(m[0]) else m[0])
        pos = m.end()
    out.append(" …" if after else text[pos:])
    return ("… " if before else "") + " ".join("".join(out).split())
