"""Streamlit glue shared by the pages: URL state, filters, cached data access, chart frames."""
