"""A Jupyter server extension that serves the installed plotly.js once, for every course figure.

Each course figure (:class:`naltrexone_lab.widgets.figure.FigureView`) loads plotly.js from
``<base_url>naltrexone-lab/static/plotly.min.js?v=<plotly version>``; with the version in the
URL the server marks the file cacheable, so a page fetches it once and a reload reads it from
the browser's cache. It is plotly's own file from the installed ``plotly`` package (no copy, no
CDN). The extension is enabled by the ``jupyter_server_config.d`` file the package installs, or
by ``jupyter server extension enable naltrexone_lab``; without it, figures still draw but ask the
kernel for plotly.js over the widget connection, once per page.
"""

from __future__ import annotations

from jupyter_server.base.handlers import FileFindHandler
from jupyter_server.utils import url_path_join

from .widgets.figure import plotly_js_path

#: URL path below the server's base URL.
STATIC_PATH = "naltrexone-lab/static"


class _PlotlyHandler(FileFindHandler):
    """plotly.min.js only: nothing else of the package directory is reachable."""

    def set_extra_headers(self, path):
        self.set_header("Content-Type", "text/javascript; charset=utf-8")
        self.set_header("X-Content-Type-Options", "nosniff")


def _load_jupyter_server_extension(serverapp) -> None:
    web_app = serverapp.web_app
    pattern = url_path_join(web_app.settings["base_url"], STATIC_PATH, r"(plotly\.min\.js)")
    web_app.add_handlers(".*$", [(pattern, _PlotlyHandler,
                                  {"path": [str(plotly_js_path().parent)]})])
    serverapp.log.info("naltrexone_lab: serving plotly.js at %s", pattern)


# the name jupyter_server looks for on older versions
load_jupyter_server_extension = _load_jupyter_server_extension
