"""Sphinx extension of the course site: plotly.js (vendored into _static/vendor by
book/build_site.py) is loaded once, in the page head, on every page that holds a static explorer,
and the explorers' own script is added after it."""

from docutils import nodes


def _has_explorer(doctree) -> bool:
    for node in doctree.findall(nodes.raw):
        if "ntx-explorer" in node.astext():
            return True
    return False


def _page(app, pagename, templatename, context, doctree):
    if doctree is not None and _has_explorer(doctree):
        app.add_js_file("vendor/plotly.min.js", priority=200)
        app.add_js_file("explorer.js", priority=201)


def _drop_thebe(app):
    """Jupyter Book always loads sphinx-thebe, whose script (declared twice on each page) throws in
    the browser and points at a CDN; the site has no live kernel (launch_buttons.thebe is off), so
    its scripts are never added."""
    for event in ("env-before-read-docs", "html-page-context"):
        listeners = app.events.listeners.get(event, [])
        for listener in list(listeners):
            if getattr(listener.handler, "__name__", "") == "init_thebe_core":
                listeners.remove(listener)


def setup(app):
    app.connect("builder-inited", _drop_thebe)
    app.connect("html-page-context", _page)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
