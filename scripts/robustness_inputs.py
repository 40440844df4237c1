"""Hostile one-line inputs for the scanner, shared by the benchmark and the tests.

Each is 100,000 characters or so, built to make a backtracking regular expression take
quadratic or cubic time: a long run of backticks, openers that never close, a citation
part that almost matches. The scanner must get through each in well under a second.
"""

N = 100_000

HOSTILE_LINES = {
    "100,000 backticks": "`" * N,
    "backtick runs of every length": "".join("`" * k + "a" for k in range(1, 440)),
    "alternating code spans": "`a``" * (N // 4),
    "unclosed HTML comments": "<!--" * (N // 4),
    "unclosed HTML tags": "<a" * (N // 2),
    "unclosed attribute lists": "{#" * (N // 2),
    "unclosed footnote references": "[^" * (N // 2),
    "an unclosed citation of many keys": "[" + "@a" * (N // 2),
    "a citation part of spaces": "[@a;" + " " * N + "x]",
    "a locator with a long gap": "[@a, sec. 1" + " " * N + "x]",
    "a heading with a long gap": "# a" + " " * N + "b",
    "an unclosed heading attribute list": "# a {" + " " * N,
    "links that never close": "[a](" * (N // 4),
}
