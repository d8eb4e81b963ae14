"""Entry point: page config, navigation, the global filters; each page does the rest."""

import streamlit as st

from ui import data
from ui.context import PageContext, leave_legacy_pages_mode, publish
from ui.sidebar import global_filters

leave_legacy_pages_mode()
# A local favicon: a Material icon one would be fetched from a font host (the app runs offline).
st.set_page_config(
    page_title="Pact for Skills dashboard", page_icon="static/favicon.png", layout="wide"
)


def page(path: str, title: str, icon: str, url_path: str, default: bool = False) -> st.Page:
    """One entry of the navigation."""
    return st.Page(path, title=title, icon=f":material/{icon}:", url_path=url_path, default=default)


PAGES = [
    page("pages/overview.py", "Overview", "dashboard", "overview", default=True),
    page("pages/growth.py", "Growth", "trending_up", "growth"),
    page("pages/gender.py", "Gender balance", "balance", "gender"),
    page("pages/skills.py", "Skills delivered", "school", "skills"),
    page("pages/partnerships.py", "Partnerships", "handshake", "partnerships"),
    page("pages/profile.py", "Partnership profile", "badge", "profile"),
    page("pages/map.py", "Map", "map", "map"),
]

navigation = st.navigation(PAGES)
options = data.options()
publish(PageContext(filters=global_filters(options), options=options, state=data.dataset()))
navigation.run()
