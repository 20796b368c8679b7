"""`guichet opendata subventions --output FICHIER.csv` : les subventions de la Région au format SCDL, les mêmes
octets que `GET /opendata/subventions.csv`."""
import os
from contextlib import suppress
from pathlib import Path

import typer

from api.cli.commun import application, arreter, refus_en_message
from api.rendu.opendata import csv_subventions
from forms.libelles import pluriel
from instruction.documents import services_opendata

opendata_app = typer.Typer(no_args_is_help=True, help="Les données ouvertes : subventions au format SCDL.")


@opendata_app.command("subventions")
def subventions(output: Path = typer.Option(..., "--output", help="Le fichier CSV à écrire.")) -> None:
    """Écrit les décisions favorables de la Région au format SCDL « subventions » (2.1.1)."""
    if not output.parent.is_dir():
        arreter(f"--output : le dossier « {output.parent} » n'existe pas")
    if output.is_dir():
        arreter(f"--output : « {output} » est un dossier")
    app = application()
    with refus_en_message():
        publication = services_opendata.subventions(app.unite_de_travail(), app.territoire)
    contenu = csv_subventions(publication.lignes)
    # Written beside, then renamed: an interrupted run leaves neither a truncated file nor half an old one.
    provisoire = output.with_name(f".{output.name}.{os.getpid()}.partiel")
    try:
        provisoire.write_bytes(contenu)
        os.replace(provisoire, output)
    except OSError as exc:
        arreter(f"{output} : écriture impossible ({exc.strerror or exc})")
    finally:
        with suppress(OSError):
            provisoire.unlink(missing_ok=True)
    for raison in publication.ecartees:
        typer.echo(f"guichet : écartée : {raison}", err=True)
    typer.echo(f"{pluriel(len(publication.lignes), 'subvention')} écrite{'s' if len(publication.lignes) > 1 else ''} "
               f"dans {output}", err=True)
