"""Synthetic awesome lists in the shape of seed 001, for measuring medlit at 1k to 1M papers.

A catalog grows from a lab's 90 papers to every paper in the field; the benchmark needs lists
that look like the real ones at every size so that parsing, facet inference, merging and fuzzy
search do realistic work: `####` task headings in Chinese or English, each followed by a pipe
table (technique | modality | organ | title with a `[[pdf]](url)` link | dataset links | venue |
year), titles built from medical-imaging words that agree with the cells most of the time, a
few rows repeated in another section (as real lists do), and every other title unique.

    python bench/generate.py N OUTDIR [--seed S] [--rows-per-file R]

Output is deterministic for (N, seed): the same files byte for byte on every run.
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

ROWS_PER_FILE = 50_000  # a user with a million papers keeps them in several lists
DUPLICATE_SHARE = 0.06  # rows that repeat a paper already listed (another section or file)
RECENT = 20_000  # duplicates repeat one of the last papers listed (and memory stays bounded)
CHINESE_TITLE_SHARE = 0.03  # Chinese lists carry a few Chinese-language papers
# distinct papers whose title is another's but for a number or a suffix ("Study 12" / "Study 120",
# "SAME" / "SAME++", "Part II", "v2"), or repeats another's under its own DOI ("Deep learning"):
# medlit must keep each its own paper, so the catalog holds exactly N papers
HARD_SHARE = 0.04

HEADER_ZH = "| 计算机技术 | 医学技术 | 目标区域 | 标题| 数据库 | J/C | 年份 |"
HEADER_EN = "| Technique | Modality | Area | Paper Title | DB | J/C | Year |"
RULE = "| ------ | ----------- | ----------- | ----------- |---|----------- | ---- |"

# task -> (Chinese heading, English heading, title nouns)
TASKS = {
    "classification": ("分类问题", "Classification", ["classification", "diagnosis", "grading"]),
    "detection": ("检测问题", "Detection & Localization", ["detection", "localization"]),
    "segmentation": ("分割问题", "Segmentation", ["segmentation", "delineation"]),
    "registration": ("配准", "Registration", ["registration", "alignment"]),
    "regression": ("回归", "Regression", ["regression", "quantification"]),
    "reconstruction": ("图像重建", "Image Reconstruction", ["reconstruction", "denoising"]),
    "synthesis": ("图像合成", "Image Synthesis", ["synthesis", "data augmentation"]),
}
TASK_WEIGHTS = [30, 22, 30, 5, 4, 5, 4]

# modality -> (English cell, Chinese cell, title phrases)
MODALITIES = {
    "CT": ("CT", "CT", ["CT images", "CT scans", "CT", "low-dose CT", "contrast-enhanced CT"]),
    "MRI": ("MRI", "核磁共振", ["MR images", "MRI", "multi-parametric MRI", "brain MRI scans"]),
    "US": ("US", "超声", ["ultrasound images", "ultrasound", "3D ultrasound volumes"]),
    "X-ray": ("X-ray", "X光", ["chest X-rays", "radiographs", "X-ray images"]),
    "MG": ("MG", "MG", ["mammograms", "digital mammography"]),
    "fundus": ("FUNDUS", "眼底", ["fundus images", "retinal fundus photographs"]),
    "OCT": ("OCT", "OCT", ["OCT scans", "optical coherence tomography"]),
    "RGB": ("RGB", "RGB", ["dermoscopic images", "clinical photographs"]),
    "H&E": ("H&E", "H&E", ["histopathology images", "whole slide images"]),
    "endoscopy": ("endoscopy", "内镜", ["colonoscopy videos", "endoscopic images"]),
    "PET": ("PET/CT", "PET/CT", ["PET/CT images", "FDG PET"]),
}

# organ -> (English cell, Chinese cell, title targets, modality weights)
ORGANS = {
    "lung": ("lung", "肺", ["lung nodule", "pulmonary nodule", "lung cancer", "pneumonia",
                            "COVID-19 pneumonia", "interstitial lung disease", "lung lesion"],
             {"CT": 80, "X-ray": 15, "PET": 5}),
    "brain": ("brain", "大脑", ["brain tumor", "glioma", "Alzheimer's disease", "white matter lesion",
                                "brain lesion", "cerebral microbleed", "brain structure"],
              {"MRI": 85, "CT": 10, "PET": 5}),
    "liver": ("liver", "肝", ["liver tumor", "liver lesion", "hepatic vessel", "liver fibrosis"],
              {"CT": 70, "MRI": 20, "US": 10}),
    "breast": ("breast", "乳腺", ["breast cancer", "breast lesion", "breast mass", "breast density"],
               {"MG": 45, "US": 30, "MRI": 15, "H&E": 10}),
    "heart": ("heart", "心脏", ["left ventricle", "cardiac structure", "myocardium", "coronary artery"],
              {"MRI": 60, "CT": 20, "US": 20}),
    "eye": ("eye", "眼睛", ["retinal vessel", "diabetic retinopathy", "optic disc", "glaucoma"],
            {"fundus": 70, "OCT": 30}),
    "skin": ("skin", "皮肤", ["skin lesion", "melanoma", "skin cancer"], {"RGB": 100}),
    "prostate": ("prostate", "前列腺", ["prostate cancer", "prostate gland"],
                 {"MRI": 75, "US": 15, "H&E": 10}),
    "kidney": ("kidney", "肾脏", ["kidney tumor", "renal cyst"], {"CT": 80, "US": 20}),
    "knee": ("knee", "膝盖", ["knee cartilage", "knee osteoarthritis"], {"MRI": 60, "X-ray": 40}),
    "fetus": ("fetus", "胎儿", ["fetal standard plane", "fetal head", "fetal brain"], {"US": 90, "MRI": 10}),
    "pancreas": ("pancreas", "胰腺", ["pancreas", "pancreatic tumor"], {"CT": 85, "MRI": 15}),
    "colorectum": ("colorectal", "结直肠", ["colorectal polyp", "colon gland"], {"endoscopy": 70, "H&E": 30}),
    "chest": ("chest", "胸部", ["thoracic disease", "chest abnormality"], {"X-ray": 85, "CT": 15}),
    "spine": ("spine", "脊柱", ["vertebra", "spinal cord"], {"CT": 50, "MRI": 50}),
}  # fmt: skip
ORGAN_WEIGHTS = [18, 18, 9, 9, 8, 7, 5, 5, 3, 3, 3, 3, 3, 4, 2]

# technique cell -> title phrases
TECHNIQUES = {
    "CNN": ["convolutional neural networks", "deep convolutional networks", "a deep CNN"],
    "U-Net": ["U-Net", "a 3D U-Net", "attention U-Net", "nested U-Net"],
    "GAN": ["generative adversarial networks", "adversarial learning", "conditional GANs"],
    "3D-CNN": ["3D convolutional neural networks", "volumetric CNNs"],
    "FCN": ["fully convolutional networks", "cascaded fully convolutional networks"],
    "M-CNN": ["multi-scale convolutional networks", "multi-view CNNs"],
    "LSTM": ["recurrent neural networks", "convolutional LSTMs"],
    "transformer": ["vision transformers", "transformers", "a hybrid CNN-transformer"],
    "SAE": ["stacked autoencoders", "deep autoencoders"],
    "MIL-CNN": ["multiple instance learning", "attention-based multiple instance learning"],
    "GCN": ["graph convolutional networks", "graph neural networks"],
}
TECHNIQUE_WEIGHTS = [25, 18, 10, 10, 8, 6, 4, 9, 3, 4, 3]

# venue cell, weight
VENUES = [("MICCAI", 22), ("IEEE-TMI", 14), ("ISBI", 10), ("MedIA", 9), ("arXiv", 16),
          ("IEEE-JBHI", 6), ("IPMI", 3), ("MIDL", 4), ("Medical Physics", 4), ("SPIE", 4),
          ("Nature", 1), ("Radiology", 3), ("IEEE-TBME", 4)]  # fmt: skip
YEARS = list(range(2012, 2025))
YEAR_WEIGHTS = [1, 2, 3, 5, 8, 11, 14, 16, 18, 20, 21, 22, 22]

# dataset name, url, organs it belongs to
DATASETS = [
    ("LIDC-IDRI", "https://wiki.cancerimagingarchive.net/display/Public/LIDC-IDRI", "lung"),
    ("LUNA16", "https://luna16.grand-challenge.org/", "lung"),
    ("NLST", "https://cdas.cancer.gov/nlst/", "lung"),
    ("ADNI", "adni.loni.usc.edu", "brain"),
    ("BraTS", "https://www.med.upenn.edu/cbica/brats/", "brain"),
    ("HCP", "http://www.humanconnectome.org/", "brain"),
    ("ISLES", "http://www.isles-challenge.org/", "brain"),
    ("LiTS", "https://competitions.codalab.org/competitions/17094", "liver"),
    ("3Dircadb", "https://www.ircad.fr/research/3dircadb/", "liver"),
    ("INbreast", "http://medicalresearch.inescporto.pt/breastresearch/index.php/Get_INbreast_Database",
     "breast"),
    ("DDSM", "http://www.eng.usf.edu/cvprg/Mammography/Database.html", "breast"),
    ("ACDC", "https://www.creatis.insa-lyon.fr/Challenge/acdc/", "heart"),
    ("DRIVE", "https://drive.grand-challenge.org/", "eye"),
    ("MESSIDOR", "http://www.adcis.net/en/Download-Third-Party/Messidor.html", "eye"),
    ("DRD", "https://www.kaggle.com/c/diabetic-retinopathy-detection", "eye"),
    ("ISIC", "https://challenge.isic-archive.com/", "skin"),
    ("PROMISE12", "https://promise12.grand-challenge.org/", "prostate"),
    ("KiTS19", "https://kits19.grand-challenge.org/", "kidney"),
    ("OAI", "https://oai.epi-ucsf.org/datarelease/", "knee"),
    ("HC18", "https://hc18.grand-challenge.org/", "fetus"),
    ("NIH Pancreas-CT", "https://wiki.cancerimagingarchive.net/display/Public/Pancreas-CT", "pancreas"),
    ("CVC-ClinicDB", "https://polyp.grand-challenge.org/CVCClinicDB/", "colorectum"),
    ("ChestX-ray14", "https://nihcc.app.box.com/v/ChestXray-NIHCC", "chest"),
    ("CheXpert", "https://stanfordmlgroup.github.io/competitions/chexpert/", "chest"),
    ("VerSe", "https://github.com/anjany/verse", "spine"),
    ("MSD", "http://medicaldecathlon.com/", ""),
]  # fmt: skip

OPENERS = [("", 40), ("Automatic ", 8), ("Automated ", 6), ("Deep learning for ", 6),
           ("Towards ", 2), ("Robust ", 3), ("Fully automatic ", 3), ("Accurate ", 3),
           ("Efficient ", 2), ("Weakly supervised ", 4), ("Semi-supervised ", 4),
           ("Self-supervised ", 3), ("Unsupervised ", 2), ("Interpretable ", 2),
           ("Multi-task ", 2), ("Real-time ", 1), ("Few-shot ", 1), ("Uncertainty-aware ", 1)]  # fmt: skip
LINKERS = ["using", "with", "via", "based on", "by"]
LITTLE_WORDS = {"using", "with", "via", "based", "on", "by", "a", "the", "and", "for", "of", "in", "from"}
EXTRAS = ["", "", "", " and deep supervision", " with attention gates", " and shape priors",
          " with boundary-aware loss", " and conditional random fields", " under domain shift",
          " with contrastive pretraining", " from noisy labels", " with limited annotations",
          " and test-time adaptation", " across multiple centers", " with anatomical constraints",
          " and uncertainty estimation"]  # fmt: skip
ADJECTIVES = ["Deep", "Dense", "Dual", "Multi", "Cascade", "Hybrid", "Attention", "Residual", "Context",
              "Shape", "Graph", "Pyramid", "Boundary", "Spatial", "Adaptive", "Recurrent"]  # fmt: skip
SYLLABLES = ["Lung", "Liver", "Seg", "Vox", "Med", "Neuro", "Cardi", "Retina", "Derm", "Onco", "Path",
             "Morph", "Scan", "Radi", "Sono", "Mammo", "Trans", "Fusion", "Nodule", "Glio", "Organ",
             "Lesion", "Prost", "Kid", "Polyp", "Tumor", "Atlas", "Vessel", "Cell", "Brain"]  # fmt: skip
SUFFIXES = ["Net", "Net", "Former", "GAN", "Seg", "Det", "Flow", "Diff", "Mamba", "Fuse"]
ZH_PARTS = (["基于深度学习的", "基于卷积神经网络的", "基于注意力机制的", "基于生成对抗网络的",
             "基于多尺度特征的"],
            ["肺结节", "肝脏肿瘤", "脑肿瘤", "乳腺肿块", "视网膜血管", "前列腺", "胰腺", "皮肤病变"],
            ["检测", "分割", "分类", "自动诊断", "良恶性分类", "精准分割"],
            ["方法研究", "算法", "研究", "模型", "方法"])  # fmt: skip


def weighted(rng: random.Random, items: list, weights: list[int]):
    return rng.choices(items, weights)[0]


class Papers:
    """Unique papers: each a dict of the cells a row needs, drawn so that cells and title agree."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.seen: set[str] = set()
        self.next_arxiv: dict[int, int] = {}
        self.serial = 0

    def make(self, task: str) -> dict:
        rng = self.rng
        organ = weighted(rng, list(ORGANS), ORGAN_WEIGHTS)
        _, _, targets, modality_weights = ORGANS[organ]
        modality = weighted(rng, list(modality_weights), list(modality_weights.values()))
        technique = weighted(rng, list(TECHNIQUES), TECHNIQUE_WEIGHTS)
        year = weighted(rng, YEARS, YEAR_WEIGHTS)
        venue = weighted(rng, [v for v, _ in VENUES], [w for _, w in VENUES])
        while True:
            title = self._title(task, organ, targets, modality, technique)
            if self._new(title):
                break
        self.serial += 1
        return {
            "task": task,
            "organ": organ,
            "modality": modality,
            "technique": technique,
            "year": year,
            "venue": venue,
            "title": title,
            "url": self._url(year, venue),
            "datasets": self._datasets(organ),
            "cell_organ": self._cell_organ(organ),
        }

    def _new(self, title: str) -> bool:
        """Whether no paper so far has this title but for case, spacing, punctuation and
        the little words between (`+` counts: SAME++ is not SAME); if so it is taken."""
        words = [w for w in title.casefold().split() if w not in LITTLE_WORDS]
        squashed = "".join(ch for ch in "".join(words) if ch.isalnum() or ch == "+")
        if squashed in self.seen:
            return False
        self.seen.add(squashed)
        return True

    def sibling(self, other: dict) -> dict | None:
        """A distinct paper of the same year whose title differs from `other`'s only in a
        number or a suffix, or repeats it under its own DOI; None if that title is taken."""
        rng = self.rng
        title, roll = other["title"], rng.random()
        url = self._url(other["year"], other["venue"])
        if roll < 0.45:
            numbers = list(re.finditer(r"\d+", title))
            if numbers:  # another number where the last one was: Study 12 -> Study 120
                last = numbers[-1]
                n = int(last.group())
                other_n = n * 10 if rng.random() < 0.5 else n + 1
                title = f"{title[: last.start()]}{other_n}{title[last.end() :]}"
            else:
                ends = (", Part II", " v2", f": Study {rng.randint(1, 40)}", f" {other['year'] - 1}")
                title += rng.choice(ends)
        elif roll < 0.7:
            head, colon, rest = title.partition(":")
            title = f"{head}++{colon}{rest}"
        elif other["url"] and "/10." in other["url"]:  # a title reused under another DOI
            url = f"https://doi.org/10.5555/bench.{self.serial}"
        else:
            return None
        if url is None or ("/10." in (other["url"] or "") and "/10." not in url):
            url = f"https://doi.org/10.5555/bench.{self.serial}"
        if title != other["title"] and not self._new(title):
            return None
        self.serial += 1
        return dict(other, title=title, url=url, datasets=self._datasets(other["organ"]))

    def _title(self, task: str, organ: str, targets: list[str], modality: str, technique: str) -> str:
        rng = self.rng
        if rng.random() < CHINESE_TITLE_SHARE:
            return "".join(rng.choice(part) for part in ZH_PARTS) + self._coined()
        target = rng.choice(targets)
        noun = rng.choice(TASKS[task][2])
        images = rng.choice(MODALITIES[modality][2])
        method = rng.choice(TECHNIQUES[technique])
        extra = rng.choice(EXTRAS)
        opener = weighted(rng, [o for o, _ in OPENERS], [w for _, w in OPENERS])
        linker = rng.choice(LINKERS)
        shape = rng.random()
        if shape < 0.35:
            body = f"{self._coined()}: {opener}{target} {noun} in {images} {linker} {method}{extra}"
        elif shape < 0.6:
            body = f"{opener}{target} {noun} in {images} {linker} {method}{extra}"
        elif shape < 0.8:
            qualifier = "" if opener in ("Towards ", "Deep learning for ") else opener.lower()
            body = f"{method} for {qualifier}{noun} of {target} from {images}{extra}"
        else:
            adjective = rng.choice(ADJECTIVES)
            body = f"{adjective} {self._coined()} for {opener.lower()}{target} {noun} in {images}{extra}"
        return body[0].upper() + body[1:]

    def _coined(self) -> str:
        """A method name like `PulmoSegNet`: real titles lead with one about a third of the time."""
        rng = self.rng
        parts = rng.sample(SYLLABLES, rng.choice((1, 2, 2, 3)))
        name = "".join(parts) + rng.choice(SUFFIXES)
        if rng.random() < 0.3:
            name += f"-{rng.choice(('v2', '3D', '++', 'XL', 'Lite', 'Pro'))}"
        return name

    def _url(self, year: int, venue: str) -> str | None:
        rng = self.rng
        kind = rng.random()
        if venue == "arXiv" or kind < 0.3:
            month = rng.randint(1, 12)
            month_key = (year % 100) * 100 + month
            n = self.next_arxiv.get(month_key, rng.randint(100, 900)) + rng.randint(1, 7)
            self.next_arxiv[month_key] = n
            digits = f"{n:05d}" if year >= 2015 else f"{n:04d}"
            return f"https://arxiv.org/abs/{year % 100:02d}{month:02d}.{digits}"
        if kind < 0.55:
            book = f"978-3-030-{rng.randint(10000, 99999)}-{self.serial}"
            return f"https://link.springer.com/chapter/10.1007/{book}_{rng.randint(1, 90)}"
        if kind < 0.8:
            return f"https://ieeexplore.ieee.org/document/{7000000 + self.serial * 7 + rng.randint(0, 6)}/"
        if kind < 0.9:
            return f"https://www.sciencedirect.com/science/article/pii/S13618415{self.serial:08d}"
        return None

    def _datasets(self, organ: str) -> list[tuple[str, str]]:
        rng = self.rng
        roll = rng.random()
        count = 0 if roll < 0.55 else 1 if roll < 0.88 else 2
        pool = [d for d in DATASETS if d[2] in (organ, "")]
        return [(name, url) for name, url, _ in rng.sample(pool, min(count, len(pool)))]

    def _cell_organ(self, organ: str) -> str | None:
        """The organ cell as a list writes it: usually the organ, sometimes empty or wrong."""
        roll = self.rng.random()
        if roll < 0.08:
            return None
        if roll < 0.09:
            return self.rng.choice(list(ORGANS))  # a copy-paste slip; medlit marks it disputed
        return organ


def row(paper: dict, chinese: bool, rng: random.Random) -> str:
    """One table line, with the small irregularities hand-edited lists have."""
    modality = MODALITIES[paper["modality"]][1 if chinese else 0]
    organ = paper["cell_organ"]
    organ_cell = rng.choice(("", "无", "-")) if organ is None else ORGANS[organ][1 if chinese else 0]
    technique = paper["technique"]
    if rng.random() < 0.05:
        technique += rng.choice((", CNN", "+RNN", ", GAN"))
    if paper["url"] is None:
        title = paper["title"]
    elif rng.random() < 0.15:
        title = f"{paper['title']} [pdf]({paper['url']})"
    else:
        title = f"{paper['title']} [[pdf]]({paper['url']})"
    datasets = ", ".join(f"[{name}]({url})" for name, url in paper["datasets"])
    year = str(paper["year"]) if rng.random() > 0.02 else ""
    pad = " " * rng.choice((1, 1, 1, 3))
    cells = [f"{technique}{pad}", modality, organ_cell, title, datasets, paper["venue"], year]
    return "| " + " | ".join(cells) + "|"


def tables(n: int, seed: int = 1, rows_per_file: int = ROWS_PER_FILE) -> list[list[str]]:
    """Every file's lines: N unique papers plus DUPLICATE_SHARE repeated rows, split into files."""
    rng = random.Random(seed)
    papers = Papers(rng)
    made: list[dict] = []
    files: list[list[str]] = []
    lines: list[str] = []
    rows_in_file = 0
    part = 0
    produced = 0

    def start_file() -> None:
        nonlocal lines, rows_in_file, part
        part += 1
        lines = [
            f"# 在医学图像分析方向上深度学习论文清单 (第{part}部分)",
            "",
            f"> Deep learning papers in medical image analysis, part {part}: a synthetic list for medlit's",
            "> benchmark, in the shape of the translated awesome list.",
            "",
            "## 文献索引",
            "",
        ]
        rows_in_file = 0

    start_file()
    while produced < n:
        if rows_in_file >= rows_per_file:
            files.append(lines)
            start_file()
        chinese = rng.random() < 0.5
        task = weighted(rng, list(TASKS), TASK_WEIGHTS)
        heading = TASKS[task][0 if chinese else 1]
        if rng.random() < 0.3:
            lines += [f"### {rng.choice(YEARS)}", ""]
        lines += [f"#### {heading}", ""] if rng.random() < 0.7 else [f"#### {heading}"]
        lines += [HEADER_ZH if chinese else HEADER_EN, RULE]
        for _ in range(min(rng.randint(15, 150), n - produced, rows_per_file - rows_in_file)):
            if made and rng.random() < DUPLICATE_SHARE:  # listed again, usually under another task
                paper = rng.choice(made)
                if rng.random() < 0.2:  # the same title retyped in lower case
                    paper = dict(paper, title=paper["title"].lower())
            else:
                paper = None
                if made and rng.random() < HARD_SHARE:
                    paper = papers.sibling(rng.choice(made))
                paper = paper or papers.make(task)
                if len(made) < RECENT:
                    made.append(paper)
                else:
                    made[produced % RECENT] = paper
                produced += 1
            lines.append(row(paper, chinese, rng))
            rows_in_file += 1
        lines.append("")
    files.append(lines)
    return files


def write(n: int, outdir: Path, seed: int = 1, rows_per_file: int = ROWS_PER_FILE) -> list[Path]:
    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    for i, lines in enumerate(tables(n, seed, rows_per_file), start=1):
        path = outdir / f"list_{i:03d}.md"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of distinct papers")
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rows-per-file", type=int, default=ROWS_PER_FILE)
    args = parser.parse_args()
    paths = write(args.n, args.outdir, args.seed, args.rows_per_file)
    print(f"{args.n} papers in {len(paths)} files under {args.outdir}")


if __name__ == "__main__":
    main()
