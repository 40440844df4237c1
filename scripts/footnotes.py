"""Python-Markdown's footnotes, made for pages that cite one work sixty times.

Every citation on a notes page is a footnote reference to its entry in the page's
References, and a page cites the paper some sixty times. Two changes to the stock
extension (used in mkdocs.yml as the Markdown extension ``scripts.footnotes``):

- ``unique_ref`` counts repeated references instead of trying "fnref2:key",
  "fnref3:key", … in turn, which cost n² steps; the ids are exactly the stock ones;
- each reference gets one back-link (to its first citation), not one "↩" per citation:
  sixty arrows after the paper's entry help no reader and weigh on every page.
"""

from __future__ import annotations

from markdown.extensions.footnotes import FootnoteExtension


class CountingFootnoteExtension(FootnoteExtension):
    def extendMarkdown(self, md) -> None:  # noqa: N802 (Python-Markdown's name)
        super().extendMarkdown(md)
        md.treeprocessors.deregister("footnote-duplicate")  # the extra back-links

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
