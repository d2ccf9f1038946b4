"""The floor under bench_browser.py's page openings: a Streamlit page holding a heading and one
small plotly chart, nothing else, served like the app. No page of ours can open faster."""

import plotly.graph_objects as go
import streamlit as st

st.header("Floor")
st.plotly_chart(go.Figure(go.Bar(x=["a", "b", "c"], y=[1, 3, 2])), key="floor")
