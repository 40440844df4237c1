"""Hook: the offline build (``make offline``, scripts/offline.py). Does nothing otherwise.

When scripts/offline.py builds with RLO_OFFLINE=1, this turns on Material's offline
plugin (off in mkdocs.yml), gives it our local worker polyfill instead of unpkg's, and
after the build writes what file:// pages cannot fetch as scripts.
"""

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from scripts import offline


@event_priority(100)  # before the offline plugin's own on_config reads its setting
def on_config(config):
    if offline.enabled():
        try:
            offline.configure(config)
        except offline.OfflineError as exc:
            raise PluginError(str(exc)) from None
    return config


def on_post_build(config):
    if offline.enabled():
        try:
            offline.post_build(config["site_dir"])
        except offline.OfflineError as exc:
            raise PluginError(str(exc)) from None
