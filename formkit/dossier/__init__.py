"""The project dossier (项目档案): record + originals -> Word / PDF dossier and a zip.

One module per concern: ``content`` reads what goes in from the store,
``word`` lays it out as a .docx, ``chart`` draws the stage timeline,
``pdf`` appends the originals to LibreOffice's PDF, ``archive`` writes the
zip, ``build`` runs them in order.
"""

from formkit.dossier.build import DossierError, DossierResult, build_dossier, default_name, write_dossier
from formkit.dossier.content import DossierContent, load_content

__all__ = ["DossierContent", "DossierError", "DossierResult", "build_dossier", "default_name", "load_content",
           "write_dossier"]
