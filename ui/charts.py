"""Horizontal bar charts whose labels are shown whole (route names are long), largest bar on top."""

from __future__ import annotations

import altair as alt
import streamlit as st

LABEL_WIDTH_PX = 320
BAR_STEP_PX = 28


def horizontal_bars(values: dict[str, float], *, axis_title: str, counts: bool = True) -> None:
    """One bar per label; ``counts`` shows whole numbers on the axis, else percentages of 0..1."""
    rows = [{"label": label, "value": value} for label, value in values.items()]
    axis = alt.Axis(tickMinStep=1, format="d") if counts else alt.Axis(format="%")
    chart = (
        alt.Chart(alt.Data(values=rows))
        .mark_bar()
        .encode(
            x=alt.X("value:Q", title=axis_title, axis=axis),
            y=alt.Y(
                "label:N", title=None, sort="-x", axis=alt.Axis(labelLimit=LABEL_WIDTH_PX, labelOverlap=False)
            ),
            tooltip=[alt.Tooltip("label:N", title=" "), alt.Tooltip("value:Q", title=axis_title)],
        )
        .properties(height=alt.Step(BAR_STEP_PX))
    )
    described = ", ".join(f"{row['label']}: {row['value']:g}" for row in rows)
    st.altair_chart(chart, width="stretch", alt=f"Staafdiagram, {axis_title.lower()}. {described}")
