"""Pure Plotly figure builders: DataFrame in, go.Figure out. Nothing here imports Streamlit."""
