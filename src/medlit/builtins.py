"""medlit's own readers, writers and commands, registered through the same hook a plugin
uses (see medlit.registry). Everything is named by "module:attribute" and imported only
when used, so registering costs no start-up time."""

from __future__ import annotations

from medlit.specs import CommandSpec, ReaderSpec, ShapeSpec, WriterSpec

WRITERS = [  # name, "module:function", description, in export, in search, shows scores, brief
    ("table", "medlit.writers.table:write", "a table for the terminal", False, True, True, False),
    (
        "tsv",
        "medlit.writers.plain:write",
        "key, year, venue, title, score; a header line",
        False,
        True,
        True,
        True,
    ),
    ("json", "medlit.writers.jsonfmt:write", "every field, for scripts", True, True, True, False),
    ("csv", "medlit.writers.csvfmt:write", "a spreadsheet's rows", True, True, True, False),
    ("keys", "medlit.writers.plain:write", "citation keys, one a line", False, True, False, True),
    ("bibtex", "medlit.writers.bibtex:write", "BibTeX entries for LaTeX", True, True, False, False),
    ("markdown", "medlit.writers.markdown:write", "tables in seed 001's shape", True, True, False, False),
    ("csl-json", "medlit.writers.csljson:write", "CSL-JSON for pandoc and Zotero", True, False, False, False),
    ("ris", "medlit.writers.ris:write", "RIS for reference managers", True, False, False, False),
]

READERS = [
    ReaderSpec(
        "markdown", (".md", ".markdown", ".txt"), "medlit.readers.markdown:read_markdown", markdown=True
    ),
    ReaderSpec("bibtex", (".bib", ".bibtex"), "medlit.readers.bibtex:read_bibtex"),
]

# the ways an entry of a list cites a paper, tried in this order (readers/citations.py)
SHAPES = [
    ShapeSpec("bold title", "medlit.readers.citations:bold_title", 10),
    ShapeSpec("mla", "medlit.readers.citations:mla", 20),
    ShapeSpec("linked vancouver", "medlit.readers.citations:linked_vancouver", 30),
    ShapeSpec("linked title", "medlit.readers.citations:linked_title", 35, needs="evidence"),
    ShapeSpec("venue first", "medlit.readers.citations:venue_first", 40),
    ShapeSpec("bracket title", "medlit.readers.citations:bracket_title", 50),
    ShapeSpec("plain reference", "medlit.readers.citations:plain_reference", 55, strict=False),
    ShapeSpec("quoted title", "medlit.readers.citations:quoted_title", 57, strict=False),
    ShapeSpec("chinese commas", "medlit.readers.citations:chinese_commas", 60, strict=False),
    ShapeSpec("bare link", "medlit.readers.citations:bare_link", 70, needs="reference"),
    ShapeSpec("plain title", "medlit.readers.citations:plain_title", 80, strict=False, needs="evidence"),
]

COMMANDS = [
    ("import", "import_cmd", "Read documents (.md, .txt, .bib) into the catalog."),
    ("search", "search", "Find papers by facets, year and fuzzy title."),
    ("show", "show", "Print one paper in full, with where it came from."),
    ("merges", "merges", "List the papers merged from several records, and the evidence."),
    ("split", "split", "Undo a merge: each entry of a paper its own paper, for good."),
    ("join", "join", "Make two papers one, for good; both keys keep citing it."),
    ("export", "export", "Write papers as BibTeX, CSL-JSON, RIS, JSON, CSV or markdown."),
    ("render", "render", "Regenerate the blocks between medlit markers in a list's own shape."),
    ("lint", "lint", "Report what is wrong with a list: FILE:LINE: CODE message."),
    ("stats", "stats", "Count papers per facet value, or cross two facets."),
    ("vocab", "vocab", "List canonical facet values with their aliases and counts."),
    ("datasets", "datasets", "List datasets with links and the papers that use them."),
    ("serve", "serve", "Browse the catalog in a web browser (needs medlit[web])."),
    ("where", "where", "Say which catalog medlit uses from this folder, and why."),
    ("plugins", "plugins", "List the readers, writers and commands installed, and where from."),
    ("enrich", "enrich", "Fill missing metadata from Crossref, arXiv and OpenAlex."),
    ("add", "add", "Add a paper by DOI, arXiv id, URL or by hand."),
    ("edit", "edit", "Correct a paper's fields or facets; kept across imports."),
    ("tag", "tag", "Tag papers (search --tag finds them)."),
    ("note", "note", "Attach your note to a paper."),
    ("rm", "rm", "Hide a paper from search and export (--undo)."),
    ("open", "open_cmd", "Open a paper's PDF or page in the browser."),
]


def register(registry) -> None:
    """The plugin hook: add medlit's own to `registry` (a medlit.registry.Registry)."""
    for name, target, description, export, listing, scores, brief in WRITERS:
        registry.add_writer(WriterSpec(name, target, description, export, listing, scores, brief))
    for spec in READERS:
        registry.add_reader(spec)
    for spec in SHAPES:
        registry.add_shape(spec)
    for name, module, help_text in COMMANDS:
        registry.add_command(CommandSpec(name, f"medlit.cli.commands.{module}:command", help_text))
