"""The graph's names: placed beside their entity, never over another name, inside the plot."""

from __future__ import annotations

import numpy as np

from cloudsword.network import labels


def _boxes(xy: np.ndarray, radii: np.ndarray, idx: list[int], texts: list[str], places: list) -> list:
    return [
        labels.box_at(p, *xy[i], radii[i], labels.text_width(s, 11), 1.45 * 11)
        for i, s, p in zip(idx, texts, places)
        if p is not None
    ]


def test_a_crowd_of_names_never_overlaps_and_the_first_is_always_named() -> None:
    rng = np.random.default_rng(0)
    xy = 200 + rng.normal(0, 12, size=(12, 2))  # twelve entities within a few dozen pixels
    radii = np.full(12, 6.0)
    texts = ["金华尚安箱包制品厂", "谢桂超", "Zhejiang Hengtai Co", *[f"仓库{i}" for i in range(9)]]
    idx = list(range(12))
    places = labels.place_labels(xy, radii, idx, texts, 11, (460, 468))
    assert places[0] is not None  # the most important one always finds a place in an empty plot
    assert None in places  # not all twelve fit: some are left to the hover
    boxes = _boxes(xy, radii, idx, texts, places)
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not labels.overlap(a, b)


def test_a_name_at_the_top_edge_goes_below_and_one_alone_goes_above() -> None:
    xy = np.array([[100.0, 5.0], [300.0, 200.0]])
    places = labels.place_labels(xy, np.array([6.0, 6.0]), [0, 1], ["顶部", "alone"], 11, (460, 468))
    assert places == ["bottom center", "top center"]


def test_names_avoid_other_entities_where_they_can() -> None:
    xy = np.array([[200.0, 200.0], [200.0, 180.0]])  # a neighbour right above
    places = labels.place_labels(xy, np.array([6.0, 6.0]), [0], ["名称"], 11, (460, 468))
    assert places == ["bottom center"]


def test_text_width_counts_chinese_as_square() -> None:
    assert labels.text_width("仓库", 10) == 20 and labels.text_width("ab", 10) == 12
