"""medlit: a literature catalog for deep learning in medical image analysis.

Data flows documents -> readers -> normalise -> catalog -> query -> writers; the click
commands in `medlit.cli.commands` are a thin layer over these modules.
"""
