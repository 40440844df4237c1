"""Hook: every page gets a Content-Security-Policy, and the built site is scanned.

The scan (scripts/sitescan.py) fails the build on any script that is not Material's or
ours, any event-handler attribute, javascript: URL or resource from another host,
whatever put it there. The policy meta tag lets the browser run only Material's own
inline scripts (by hash) and scripts from the site itself.
"""

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from scripts import offline, sitescan


@event_priority(-110)  # after compact.py: the hashes are of the script text as written
def on_post_page(output, page, config):
    if offline.enabled():  # pages opened from disk: search runs in an iframe worker, which the policy forbids
        return output
    return sitescan.add_csp(output)


@event_priority(-110)
def on_post_template(output_content, template_name, config):
    """The 404 page and other static templates."""
    if offline.enabled() or not template_name.endswith(".html"):
        return output_content
    return sitescan.add_csp(output_content)


@event_priority(-110)  # after every other hook has written its files
def on_post_build(config):
    found = sitescan.scan_site(Path(config["site_dir"]), sitescan.own_scripts(config["extra_javascript"], config["extra"].get("polyfills", [])))
    if found:
        lines = "\n".join(f.format() for f in sorted(set(found)))
        raise PluginError(f"the built site failed the security scan (scripts/sitescan.py):\n{lines}")
