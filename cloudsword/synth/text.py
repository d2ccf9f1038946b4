"""Vectorised text for the generator: string ids and synthetic Chinese names.

Ten million ids cannot be built with per-row f-strings in the time budget, so ids are written
as fixed-width ASCII digits straight into an Arrow string buffer, and names are assembled
by taking from small vocabularies and joining the pieces column-wise in Arrow.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

# The most common surnames, weighted roughly by how common they are.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
)
_SURNAME_WEIGHTS = np.r_[np.full(5, 7.0), np.full(10, 3.0), np.full(35, 1.2)][: len(SURNAMES)]
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红文斌辉鹏飞宇浩俊峰晨欣雪梅玉兰海波亮"
    "佳琳婷慧莉丹宁凯鑫龙云春燕晓东林彬"
)
WORDS = "鑫源华盛恒达金品优佳美尚潮新宏利诚汇德福顺泰兴隆瑞丰锦荣昌嘉和安"
CATEGORY_WORDS = {
    "apparel": "服饰",
    "footwear": "鞋业",
    "bags": "箱包",
    "cosmetics": "美妆",
    "electronics": "数码",
    "auto_parts": "汽配",
    "food": "食品",
    "medicine": "保健",
    "toys": "玩具",
    "jewellery": "饰品",
}
_SHOP_SUFFIX = ("旗舰店", "专营店", "精品店", "折扣店", "工厂店", "小店", "官方店", "特卖店")
_FACTORY_SUFFIX = ("制品厂", "加工厂", "制造有限公司", "实业有限公司")
_WAREHOUSE_SUFFIX = ("仓储", "仓库", "货仓", "物流仓")
_DEALER_SUFFIX = ("商贸有限公司", "贸易商行", "批发部", "经营部")
_LOGISTICS_SUFFIX = ("物流", "快运", "速递网点", "货运部")


def fixed_ids(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    """`prefix` + zero-padded `numbers`, built as one Arrow buffer (no per-row Python)."""
    numbers = np.asarray(numbers, dtype=np.int64)
    n, head = len(numbers), prefix.encode("ascii")
    width = max(width, len(str(int(numbers.max()))) if n else width)
    w = len(head) + width
    buf = np.empty((n, w), dtype=np.uint8)
    if head:
        buf[:, : len(head)] = np.frombuffer(head, dtype=np.uint8)
    x = numbers.copy()
    for j in range(w - 1, len(head) - 1, -1):
        buf[:, j] = 48 + x % 10
        x //= 10
    kind, off_type = (pa.string(), np.int32) if n * w < 2**31 - 1 else (pa.large_string(), np.int64)
    offsets = np.arange(0, (n + 1) * w, w, dtype=off_type)
    arr = pa.Array.from_buffers(kind, n, [None, pa.py_buffer(offsets), pa.py_buffer(buf)])
    return arr.cast(pa.string()) if kind == pa.large_string() else arr


def take(vocab: list[str] | tuple[str, ...] | str, idx: np.ndarray) -> pa.Array:
    """vocab[idx] as an Arrow string array."""
    return pa.array(list(vocab), type=pa.string()).take(pa.array(np.asarray(idx, dtype=np.int64)))


def join(*parts: pa.Array | str) -> pa.Array:
    """Concatenate string columns (or constants) element-wise."""
    return pc.binary_join_element_wise(*parts, "")


def person_names(rng: np.random.Generator, n: int) -> pa.Array:
    """Synthetic personal names: a common surname and a one- or two-character given name."""
    p = _SURNAME_WEIGHTS / _SURNAME_WEIGHTS.sum()
    surname = take(SURNAMES, rng.choice(len(SURNAMES), n, p=p))
    first = take(GIVEN, rng.integers(0, len(GIVEN), n))
    second_idx = np.where(rng.random(n) < 0.7, rng.integers(0, len(GIVEN), n), len(GIVEN))
    second = take([*GIVEN, ""], second_idx)
    return join(surname, first, second)


def _word(rng: np.random.Generator, n: int) -> pa.Array:
    return join(take(WORDS, rng.integers(0, len(WORDS), n)), take(WORDS, rng.integers(0, len(WORDS), n)))


def entity_names(
    rng: np.random.Generator,
    kind: np.ndarray,
    kinds: tuple[str, ...],
    category: np.ndarray,
    categories: tuple[str, ...],
    city_short: pa.Array,
    hub: np.ndarray,
) -> pa.Array:
    """A plausible name per entity, by kind: shop and company names, people for operators.

    Hubs are named as what they are (a courier's sorting centre, a settlement account) so a
    network view shows why they touch so many rings.
    """
    n = len(kind)
    cat_word = take([CATEGORY_WORDS[c] for c in categories], category)
    word = _word(rng, n)

    def pick(options: tuple[str, ...]) -> pa.Array:
        return take(options, rng.integers(0, len(options), n))

    digits = fixed_ids("", rng.integers(0, 10000, n), 4)
    by_kind = {
        "shop": join(word, cat_word, pick(_SHOP_SUFFIX)),
        "operator": person_names(rng, n),
        "factory": join(city_short, word, cat_word, pick(_FACTORY_SUFFIX)),
        "warehouse": join(city_short, word, pick(_WAREHOUSE_SUFFIX)),
        "dealer": join(word, cat_word, pick(_DEALER_SUFFIX)),
        "logistics": join(city_short, word, pick(_LOGISTICS_SUFFIX)),
        "payment_account": join("支付账户 尾号", digits),
    }
    out = by_kind[kinds[0]]
    for k in kinds[1:]:
        out = pc.if_else(pa.array(kind == kinds.index(k)), by_kind[k], out)
    if hub.any():
        center = join(city_short, word, "快递转运中心")
        settle = join(word, "支付结算账户 尾号", digits)
        is_logistics = pa.array(kind == kinds.index("logistics"))
        out = pc.if_else(pa.array(hub), pc.if_else(is_logistics, center, settle), out)
    return out
