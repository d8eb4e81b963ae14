"""The view layer: what each page, report section and slide says, as plain typed data.

Pure Python (no Streamlit, no SQL): a view function takes the frames data_access returned and
gives tiles, charts, tables and notices (views.models), with their wording, labels and number
formats (views.format, views.labels) written once. Pages render a view (ui.render), the briefing
reports write it (exports/) and the presenter and audience view draw it (presenter/).
"""
