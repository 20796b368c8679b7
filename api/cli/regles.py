"""`guichet rules impact` : ce que change une nouvelle version des règles sur des dossiers.

Les dossiers viennent d'un fichier (mêmes formats que `guichet evaluate`) ou, sans fichier, de la
base : chacun est évalué sous l'ancienne version (`--avant`) et sous la nouvelle (`--apres`, par
défaut les fichiers de règles en vigueur), puis les deux évaluations sont comparées.
"""
import json
import re
from pathlib import Path
from typing import Any, Optional

import typer

from api import bootstrap
from api.bootstrap import DOSSIER_REGLES
from api.cli.commun import agent, application, arreter, lire_date, refus_en_message
from api.lecture import FichierIllisible, lire_dossiers
from api.rendu.impact import FORMATS, en_csv, en_table
from forms.libelles import nombre, pluriel
from forms.textes import visible
from instruction.dossiers import services
from instruction.evaluation.impact import mesurer_impact
from rules.base import BaseDeRegles
from rules.erreurs import ErreursRegles

_EMPREINTE = re.compile(r"[0-9a-f]{12}")  # a bare stored fingerprint, as `dossier voir` shows it


def rules_impact(
    fichier: Optional[Path] = typer.Argument(
        None, help="Les dossiers (JSON, JSON Lines, CSV ou XLSX) ; sans fichier : tous les dossiers de la base."),
    avant: str = typer.Option(..., "--avant", help="L'ancienne version : sha256:… déjà employée, ou un dossier "
                                                   "de fichiers de règles."),
    apres: Optional[Path] = typer.Option(None, "--apres", help="La nouvelle version : un dossier de fichiers de "
                                                               "règles (défaut : les règles en vigueur)."),
    date_imposee: Optional[str] = typer.Option(
        None, "--date", help="Juger à cette date (défaut : la date de dépôt de chaque dossier)."),
    format: str = typer.Option("table", "--format", help="table, json ou csv"),
    moteur: str = typer.Option("auto", "--engine", help="auto, python ou durable"),
) -> None:
    """Montre ce qui bouge entre deux versions des règles : statuts par financeur, avis, règles en cause."""
    if format not in FORMATS:
        arreter(f"--format : format inconnu « {format} » ; possibles : {', '.join(FORMATS)}")
    jour = lire_date(date_imposee)
    if not avant.strip():
        arreter("--avant : donnez une version déjà employée (sha256:…) ou un dossier de règles")
    # Rules first: a mistyped --avant is reported before a long file or the whole database is read.
    base_avant = _base_avant(avant)
    base_apres = _dossier_de_regles(apres, "--apres") if apres is not None else _dossier_de_regles(None, "")
    dossiers = _dossiers_du_fichier(fichier) if fichier is not None else _dossiers_de_la_base()
    guichet_avant = application(moteur, base=base_avant).guichet
    guichet_apres = application(moteur, base=base_apres).guichet
    impact = mesurer_impact(list(guichet_avant.evaluer_lot(dossiers, jour)),
                            list(guichet_apres.evaluer_lot(dossiers, jour)))
    versions = {"avant": {"regles": f"sha256:{base_avant.empreinte}", "source": avant},
                "apres": {"regles": f"sha256:{base_apres.empreinte}",
                          "source": str(apres) if apres is not None else str(DOSSIER_REGLES)}}
    if format == "json":
        typer.echo(json.dumps({**impact, "versions": versions, "date": jour.isoformat() if jour else None},
                              ensure_ascii=False, indent=2))
    elif format == "csv":
        typer.echo(en_csv(impact), nl=False)
    else:
        typer.echo(en_table(impact, versions, jour))
    if impact["invalides"]:
        if format != "table":  # the table lists them already; elsewhere stderr names them, as comite does
            for e in impact["invalides"]:
                detail = "; ".join(f"{x['champ']} : {x['message']}" for x in e["erreurs"])
                reference = visible(e["reference"]) if e["reference"] else "sans référence"
                typer.echo(f"guichet : entrée {e['position']} ({reference}) écartée : {detail}", err=True)
        typer.echo(f"guichet : {pluriel(len(impact['invalides']), 'dossier invalide')} sur {nombre(impact['total'])}",
                   err=True)
        raise typer.Exit(3)


def _dossiers_du_fichier(fichier: Path) -> list[Any]:
    try:
        return lire_dossiers(fichier)
    except FichierIllisible as exc:
        arreter(str(exc))


def _dossiers_de_la_base() -> list[Any]:
    """Chaque dossier enregistré, avec ses données actuelles (celles que le porteur a complétées)."""
    with refus_en_message():
        return services.donnees_des_dossiers(bootstrap.unite_de_travail(), agent())


def _base_avant(avant: str) -> BaseDeRegles:
    chemin = Path(avant)
    if avant.startswith("sha256:") or (_EMPREINTE.fullmatch(avant) and not chemin.exists()):
        with refus_en_message():
            return services.base_de_version(bootstrap.unite_de_travail(), avant)
    if not chemin.exists():
        arreter(f"--avant : « {avant} » n'est ni une version (sha256:…) ni un dossier de règles existant")
    return _dossier_de_regles(chemin, "--avant")


def _dossier_de_regles(dossier: Optional[Path], option: str) -> BaseDeRegles:
    """Les règles d'un dossier (`dossier` None : les règles en vigueur) ; une faute tient en une ligne."""
    if dossier is not None and not dossier.is_dir():
        arreter(f"{option} : « {dossier} » n'est pas un dossier")
    try:
        return bootstrap.lire_regles(dossier)
    except ErreursRegles as exc:
        qui = f"{option} : les règles de {dossier}" if dossier is not None else "les règles en vigueur"
        autres = f" (et {pluriel(len(exc.erreurs) - 1, 'autre problème')})" if len(exc.erreurs) > 1 else ""
        premiere = " ".join(str(exc.erreurs[0]).split())  # a YAML message may span lines: one line only
        arreter(f"{qui} sont invalides : {premiere}{autres}")
    except (OSError, UnicodeDecodeError) as exc:
        raison = getattr(exc, "strerror", None) or "encodage illisible (UTF-8 attendu)"
        arreter(f"{option or 'règles'} : lecture impossible de {dossier or DOSSIER_REGLES} ({raison})")
