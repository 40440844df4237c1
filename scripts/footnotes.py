"""Python-Markdown's footnotes, with repeated references numbered in constant time.

Every citation on a notes page is a footnote reference, and a page cites the paper some
sixty times. The stock ``unique_ref`` finds the next free id ("fnref2:key", "fnref3:key",
…) by trying each one in turn, so a page with n citations of one work costs n² steps.
This subclass counts instead; the ids it gives are exactly the stock ones.
Used in mkdocs.yml as the Markdown extension ``scripts.footnotes``.
"""

from __future__ import annotations

from markdown.extensions.footnotes import FootnoteExtension


class CountingFootnoteExtension(FootnoteExtension):
    def unique_ref(self, reference: str, found: bool = False) -> str:
        if not found:
            return reference
        count = self.found_refs.get(reference, 0) + 1
        self.found_refs[reference] = count
        unique = reference
        if count > 1:
            separator = self.get_separator()
            head, rest = reference.split(separator, 1)
            unique = f"{head}{count}{separator}{rest}"
        self.used_refs.add(unique)
        return unique


def makeExtension(**kwargs) -> CountingFootnoteExtension:  # noqa: N802 (Python-Markdown's name)
    return CountingFootnoteExtension(**kwargs)
