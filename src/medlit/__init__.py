"""medlit: a literature catalog for deep learning in medical image analysis.

Data flows documents -> readers -> normalise -> catalog -> query -> writers; the click
commands in `medlit.commands` are a thin layer over these modules.
"""
