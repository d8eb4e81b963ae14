"""The reporting cycle's e-mail: reminders to the coordinators of partnerships that have not
submitted a round's figures (docs/reporting.md). Pure Python: no Streamlit; the store is
reached through data_access."""
