"""Turn a ``re_path()`` regex into reverse templates: the URLs it can produce, simplest first.

Only the subset of regex syntax that URL patterns use is understood; a regex outside it
(backreferences, negated classes, ...) simply cannot be reversed and yields no templates.
"""

from __future__ import annotations

import re

from djanco.urls._template import Param, Template

# A representative character for escapes that stand for a class; None: zero-width.
_ESCAPES: dict[str, str | None] = {
    "d": "0",
    "D": "x",
    "w": "x",
    "W": "!",
    "s": " ",
    "S": "x",
    "b": None,
    "B": None,
    "A": None,
    "Z": None,
}
_MAX_ALTERNATIVES = 64
_Alternatives = list[Template]


class _Unreversible(Exception):
    pass


def reverse_templates(regex: str, *, positional: bool) -> list[Template]:
    """Templates for ``regex``; unnamed groups become parameters only when ``positional``."""
    try:
        parser = _Parser(regex, positional)
        alternatives = parser.alternation()
        if parser.pos != len(regex):
            raise _Unreversible
    except (_Unreversible, re.error):
        return []
    return list(dict.fromkeys(_merge_literals(t) for t in alternatives))


def _merge_literals(template: Template) -> Template:
    out: list[str | Param] = []
    for seg in template:
        if isinstance(seg, str) and out and isinstance(out[-1], str):
            out[-1] += seg
        elif seg != "":
            out.append(seg)
    return tuple(out)


class _Parser:
    def __init__(self, regex: str, positional: bool) -> None:
        self.s = regex
        self.pos = 0
        self.positional = positional
        self.next_index = 0

    def peek(self) -> str:
        return self.s[self.pos] if self.pos < len(self.s) else ""

    def alternation(self) -> _Alternatives:
        result = self.sequence()
        while self.peek() == "|":
            self.pos += 1
            result = result + self.sequence()
        return result

    def sequence(self) -> _Alternatives:
        result: _Alternatives = [()]
        while self.peek() not in ("", "|", ")"):
            atom = self.atom()
            low = self.quantifier()
            if low == 0:
                has_params = any(isinstance(seg, Param) for alt in atom for seg in alt)
                atom = [(), *atom] if has_params else [()]
            elif low > 1:
                repeated: _Alternatives = [()]
                for _ in range(low):
                    repeated = [r + a for r in repeated for a in atom]
                atom = repeated
            result = [r + a for r in result for a in atom]
            if len(result) > _MAX_ALTERNATIVES:
                raise _Unreversible
        return result

    def quantifier(self) -> int:
        """Consume a quantifier if present; return its minimum repeat count (1 if none)."""
        char = self.peek()
        if char in ("?", "*", "+"):
            self.pos += 1
            low = 1 if char == "+" else 0
        elif char == "{" and (m := re.match(r"\{(\d*)(,\d*)?\}", self.s[self.pos :])):
            self.pos += m.end()
            low = int(m.group(1) or 0)
        else:
            return 1
        if self.peek() in ("?", "+"):  # lazy or possessive: same minimum
            self.pos += 1
        return low

    def atom(self) -> _Alternatives:
        char = self.peek()
        self.pos += 1
        if char in ("^", "$"):
            return [()]
        if char == "\\":
            return [(self.escape(),)]
        if char == "[":
            return [(self.char_class(),)]
        if char == "(":
            return self.group()
        if char in ("*", "+", "?", "{"):
            raise _Unreversible
        return [(char,)]

    def escape(self) -> str:
        char = self.peek()
        if not char or char.isdigit():  # backreference
            raise _Unreversible
        self.pos += 1
        if char in _ESCAPES:
            return _ESCAPES[char] or ""
        return char

    def char_class(self) -> str:
        if self.peek() == "^":
            raise _Unreversible
        start = self.pos
        first = self.peek()
        representative = self.escape_in_class() if first == "\\" else first
        self.pos = start + (1 if first == "]" else 0)
        while self.peek() not in ("", "]"):
            self.pos += 2 if self.peek() == "\\" else 1
        if self.peek() != "]":
            raise _Unreversible
        self.pos += 1
        return representative

    def escape_in_class(self) -> str:
        self.pos += 1
        return self.escape() or "x"

    def group(self) -> _Alternatives:
        rest = self.s[self.pos :]
        if rest.startswith("?P<"):
            end = rest.index(">")
            name = rest[3:end]
            self.pos += end + 1
            return [(Param(name, re.compile(self.raw_group())),)]
        if rest.startswith(("?=", "?!", "?<=", "?<!", "?#")):
            self.raw_group()
            return [()]
        if rest.startswith("?P="):
            raise _Unreversible
        if rest.startswith("?"):  # (?:...), or inline flags (?i) / (?i:...)
            m = re.match(r"\?[aiLmsux-]*(:|\))", rest)
            if m is None:
                raise _Unreversible
            self.pos += m.end()
            if m.group(1) == ")":
                return [()]
            return self.closed(self.alternation())
        if self.positional:
            name = f"_{self.next_index}"
            self.next_index += 1
            return [(Param(name, re.compile(self.raw_group())),)]
        return self.closed(self.alternation())

    def closed(self, alternatives: _Alternatives) -> _Alternatives:
        if self.peek() != ")":
            raise _Unreversible
        self.pos += 1
        return alternatives

    def raw_group(self) -> str:
        """Consume up to the matching ')' and return the text inside."""
        start = self.pos
        depth = 0
        in_class = False
        while self.pos < len(self.s):
            char = self.s[self.pos]
            if char == "\\":
                self.pos += 2
                continue
            if in_class:
                in_class = char != "]"
            elif char == "[":
                in_class = True
            elif char == "(":
                depth += 1
            elif char == ")":
                if depth == 0:
                    self.pos += 1
                    return self.s[start : self.pos - 1]
                depth -= 1
            self.pos += 1
        raise _Unreversible
