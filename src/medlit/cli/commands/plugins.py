"""`medlit plugins`: what the registry holds, medlit's own and what installed packages add."""

from __future__ import annotations

import click


@click.command("plugins")
@click.option("--format", "-f", "fmt", type=click.Choice(["table", "json"]), default=None)
def command(fmt: str | None) -> None:
    """List the readers, entry shapes, writers and commands installed, and the plugins that
    added them."""
    import json
    import sys

    from medlit.registry import registry

    every = registry().all()
    rows = {
        "plugins": every.plugins,
        "readers": [{"name": r.name, "suffixes": list(r.suffixes)} for r in every.readers.values()],
        "writers": [
            {"name": w.name, "description": w.description, "export": w.export, "search": w.listing}
            for w in every.writers.values()
        ],
        "commands": [{"name": c.name, "help": c.help} for c in every.commands.values()],
        "shapes": [
            {"name": s.name, "order": s.order}
            for s in sorted(every.shapes.values(), key=lambda s: (s.order, s.name))
        ],
    }
    if (fmt or ("table" if sys.stdout.isatty() else "json")) == "json":
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    out = [f"plugins: {', '.join(rows['plugins'])}", "readers:"]
    out += [f"  {r['name']:<10} {' '.join(r['suffixes'])}" for r in rows["readers"]]
    out.append("writers:")
    out += [f"  {w['name']:<10} {w['description']}" for w in rows["writers"]]
    out.append("commands:")
    out += [f"  {c['name']:<10} {c['help']}" for c in rows["commands"]]
    out.append("entry shapes, in the order they are tried:")
    out += [f"  {s['order']:>3} {s['name']}" for s in rows["shapes"]]
    sys.stdout.write("\n".join(out) + "\n")
