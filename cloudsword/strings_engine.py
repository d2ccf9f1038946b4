"""Strings of the query engine's configuration (cloudsword.engine), both languages."""

STRINGS: dict[str, dict[str, str]] = {
    "error.engine": {
        "zh": "不认识的查询引擎“{engine}”（环境变量 CLOUDSWORD_ENGINE）；可选：{engines}。",
        "en": "Unknown query engine '{engine}' (the CLOUDSWORD_ENGINE environment variable); "
        "choose one of: {engines}.",
    },
}
