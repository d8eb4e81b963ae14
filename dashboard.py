"""Entry point: page config, navigation, the global filters; each page does the rest."""

import streamlit as st

from ui import data
from ui.context import PageContext, publish
from ui.sidebar import global_filters

st.set_page_config(page_title="Pact for Skills dashboard", page_icon="📊", layout="wide")

PAGES = [
    st.Page("pages/overview.py", title="Overview", icon="🏠", url_path="overview", default=True),
    st.Page("pages/growth.py", title="Growth", icon="📈", url_path="growth"),
    st.Page("pages/gender.py", title="Gender balance", icon="⚖️", url_path="gender"),
    st.Page("pages/skills.py", title="Skills delivered", icon="🎓", url_path="skills"),
    st.Page("pages/partnerships.py", title="Partnerships", icon="🤝", url_path="partnerships"),
    st.Page("pages/profile.py", title="Partnership profile", icon="🔎", url_path="profile"),
    st.Page("pages/map.py", title="Map", icon="🗺️", url_path="map"),
]

navigation = st.navigation(PAGES)
options = data.options()
publish(PageContext(filters=global_filters(options), options=options, state=data.dataset()))
navigation.run()
