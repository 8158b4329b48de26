"""Markdown that regenerates a list's README tables, in the shape of seed 001.

A heading per task, then `technique | modality | organ | title [[pdf]](url) | dataset
links | venue | year`, sorted by year. `lang="zh"` writes seed 001's Chinese headers,
task headings and organ names; importing the result gives the same papers back.
"""

from __future__ import annotations

from medlit.vocab import load
from medlit.writers.escape import md_cell, md_link, md_link_target

HEADERS = {
    "zh": "| 计算机技术 | 医学技术 | 目标区域 | 标题 | 数据库 | J/C | 年份 |",
    "en": "| Technique | Modality | Area | Paper Title | DB | J/C | Year |",
}
RULE = "| --- | --- | --- | --- | --- | --- | --- |"
TASKS = {  # task -> (Chinese heading, English heading), in seed 001's order
    "annotation": ("注解", "Annotation"),
    "classification": ("分类问题", "Classification"),
    "detection": ("检测问题", "Detection / Localization"),
    "segmentation": ("分割问题", "Segmentation"),
    "registration": ("配准", "Registration"),
    "regression": ("回归", "Regression"),
    "reconstruction": ("图像重建", "Image Reconstruction"),
    "synthesis": ("图像合成", "Image Synthesis"),
    "denoising": ("去噪", "Denoising"),
    "review": ("综述", "Review"),
}
OTHER = ("其他", "Other")


def escape(text: str) -> str:
    """Text that markdown reads back as the same text inside a table cell."""
    return md_cell(text)


def organ_name(value: str, lang: str) -> str:
    return (load().chinese("organ", value) or value) if lang == "zh" else value


def row(paper, lang: str) -> str:
    def cell(values: list[str]) -> str:
        return ", ".join(escape(v) for v in values) or "-"

    organs = [organ_name(v, lang) for v in paper.values("organ")]
    target = md_link_target(paper.url)
    title = escape(paper.title) + (f" [[pdf]]({target})" if target else "")
    datasets = ", ".join(_dataset(paper, name) for name in paper.datasets)
    venue = escape(paper.venue_abbr or paper.venue or "")
    cells = [
        cell(paper.values("technique")),
        cell(paper.values("modality")),
        cell(organs),
        title,
        datasets,
        venue,
        str(paper.year or ""),
    ]
    return "| " + " | ".join(cells) + " |"


def _dataset(paper, name: str) -> str:
    return md_link(name, paper.dataset_urls.get(name))


def table(papers, lang: str = "en") -> str:
    ordered = sorted(papers, key=lambda p: (p.year or 9999, p.title.casefold()))
    return "\n".join([HEADERS[lang], RULE, *(row(p, lang) for p in ordered)]) + "\n"


def document(papers, lang: str = "en", level: int = 4) -> str:
    from io import StringIO

    out = StringIO()
    write(papers, out, lang, level)
    return out.getvalue()


def write(papers, out, lang: str = "en", level: int = 4, **_options) -> None:
    """A heading per task in seed 001's order (papers with no task under Other), each over a
    `table` of its papers. One row of text is kept per paper instead of the papers: every
    table needs all its papers before its first row (they are sorted by year)."""
    index = 0 if lang == "zh" else 1
    groups: dict[str, list[tuple]] = {task: [] for task in TASKS}
    rest: list[tuple] = []
    for seq, paper in enumerate(papers):
        # seq keeps sorted()'s stable order among equal (year, title) and is never equal itself
        line = ((paper.year or 9999, paper.title.casefold(), seq), row(paper, lang))
        tasks = [t for t in paper.values("task") if t in groups]
        for task in dict.fromkeys(tasks):
            groups[task].append(line)
        if not tasks:
            rest.append(line)
    named = [(names[index], groups[task]) for task, names in TASKS.items()] + [(OTHER[index], rest)]
    separator = ""
    for heading, lines in named:
        if lines:
            lines.sort(key=lambda x: x[0])
            out.write(f"{separator}{'#' * level} {heading}\n\n{HEADERS[lang]}\n{RULE}\n")
            out.writelines(f"{text}\n" for _, text in lines)
            separator = "\n"
