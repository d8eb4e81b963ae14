"""Entry point: page config, navigation, the global filters; each page does the rest.

`streamlit run dashboard.py` first imports this file to find `app` and serves it: the pages
plus the audience view's routes (/live, /s/<code>). Each session then runs it as __main__.
"""

import gc

import streamlit as st
from starlette.middleware import Middleware
from streamlit.starlette import App

from i18n import N_, _
from presenter.routes import audience_routes
from ui import data, render
from ui.account import account_box, admin_page, local_mode_banner
from ui.auth import check_local_mode_setting, current_caller, resolve
from ui.context import PageContext, leave_legacy_pages_mode, publish
from ui.default_page import default_page_routes
from ui.language import choose_language, declare_page_language, language_picker
from ui.page_errors import page_errors
from ui.preload import ElementPreload
from ui.rounds_panel import rounds_page
from ui.sidebar import global_filters
from ui.style import page_style

# The default page, served at the root; its own path leads there (ui/default_page.py).
DEFAULT_PAGE = "overview"
# The pages that draw charts: their HTML names the charts' code too (ui/preload.py).
CHART_PAGES = ("", "growth", "gender", "skills", "partnerships", "profile", "map")

if __name__ != "__main__":  # imported by `streamlit run` to find the ASGI app
    check_local_mode_setting()  # an unknown PACT_LOCAL_MODE stops the app here
    preload = Middleware(ElementPreload, chart_pages=CHART_PAGES)
    routes = [*audience_routes(), *default_page_routes(DEFAULT_PAGE)]
    app = App(__file__, routes=routes, middleware=[preload])
    # Streamlit collects the whole heap after every script run (runner.postScriptGC). The
    # libraries imported so far live as long as the process: keeping them out of those
    # collections makes each one cheap, while each run's own garbage is still collected.
    gc.freeze()
else:
    leave_legacy_pages_mode()
    choose_language()  # every word of the run is in it, from here on (ui/language.py)
    # A local favicon: a Material icon one would be fetched from a font host (the app runs offline).
    st.set_page_config(
        page_title=_("Pact for Skills dashboard"), page_icon="static/favicon.png", layout="wide"
    )
    declare_page_language()
    page_style()  # the dashboard's CSS for Streamlit's elements (ui/style.py)
    identity = resolve()  # who is asking, once per run (ui/auth.py)


def page(path: str, title: str, icon: str, url_path: str, default: bool = False) -> st.Page:
    """One entry of the navigation, its title in the reader's language."""
    return st.Page(
        path, title=_(title), icon=f":material/{icon}:", url_path=url_path, default=default
    )


def pages() -> list[st.Page]:
    """The navigation's pages, titled in the language of this run."""
    return [
        page("pages/overview.py", N_("Overview"), "dashboard", "overview", default=True),
        page("pages/growth.py", N_("Growth"), "trending_up", "growth"),
        page("pages/gender.py", N_("Gender balance"), "balance", "gender"),
        page("pages/skills.py", N_("Skills delivered"), "school", "skills"),
        page("pages/partnerships.py", N_("Partnerships"), "handshake", "partnerships"),
        page("pages/members.py", N_("Members"), "groups", "members"),
        page("pages/profile.py", N_("Partnership profile"), "badge", "profile"),
        page("pages/map.py", N_("Map"), "map", "map"),
        page("pages/present.py", N_("Present"), "co_present", "present"),
        page("pages/data.py", N_("Data"), "upload_file", "data"),
        page("pages/method.py", N_("How figures are protected"), "shield", "method"),
    ]


if __name__ == "__main__":
    # Every entry shown: an admin's thirteen would otherwise fold three behind "View 3 more".
    every_page = [*pages(), rounds_page(identity), admin_page(identity)]
    navigation = st.navigation(every_page, expanded=True)
    # A failure shows the reader an error id only; the log has the traceback (ui/page_errors.py).
    with page_errors(navigation.url_path or DEFAULT_PAGE):
        options = data.options()
        language_picker()
        account_box(identity, dict(options.partnerships))
        filters = global_filters(options)
        render.mark_provisional(data.provisional(filters))  # figures still under review
        publish(
            PageContext(
                filters=filters,
                options=options,
                state=data.dataset(),
                caller=current_caller(),
            )
        )
        local_mode_banner(identity)
        navigation.run()
