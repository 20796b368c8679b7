"""Les commandes de l'instruction d'un dossier : `guichet db`, `guichet dossier …` et `guichet avis`."""
import json
from pathlib import Path
from typing import Optional

import typer

from api import bootstrap
from api.cli.commun import OPTION_AUTEUR, agent, application, arreter, ecrire_document, lire_date, refus_en_message
from api.lecture import FichierIllisible, lire_dossiers
from forms.libelles import LIBELLES_ETATS, couper, pluriel
from instruction.documents import services as documents
from instruction.dossiers import services, vues
from instruction.dossiers.cycle import ETATS
from instruction.temps import heure_locale

db_app = typer.Typer(no_args_is_help=True, help="La base de données : création et mise à jour du schéma.")
dossier_app = typer.Typer(no_args_is_help=True, help="Les dossiers : dépôt, évaluation, cycle de vie, corrections.")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Met la base (DATABASE_URL, ou SQLite dans le dossier de données) au dernier schéma."""
    with refus_en_message():
        version, adresse = bootstrap.migrer()
    typer.echo(f"Base à jour ({version}) : {adresse}")


def _un_dossier(fichier: Path) -> dict:
    try:
        dossiers = lire_dossiers(fichier)
    except FichierIllisible as exc:
        arreter(str(exc))
    if len(dossiers) != 1:
        arreter(f"{fichier} : un seul dossier attendu, {len(dossiers)} trouvés "
                "(pour une liste : guichet comite importer)")
    return dossiers[0]


def _afficher_erreurs(erreurs) -> None:
    for e in erreurs:
        typer.echo(f"guichet : {e.champ} : {e.message}", err=True)
    raise typer.Exit(3)


@dossier_app.command("deposer")
def deposer(fichier: Path = typer.Argument(..., help="Le dossier (JSON ou CSV d'une ligne)."),
            brouillon: bool = typer.Option(False, "--brouillon", help="Enregistrer sans déposer."),
            auteur: str = OPTION_AUTEUR) -> None:
    """Enregistre un dossier (déposé, ou brouillon)."""
    donnees = _un_dossier(fichier)
    app = application()
    with refus_en_message():
        erreurs = services.deposer(app.unite_de_travail(), app.guichet, donnees, agent(auteur), brouillon)
    if erreurs:
        _afficher_erreurs(erreurs)
    typer.echo(f"{donnees['reference']} : {'brouillon enregistré' if brouillon else 'dossier déposé'}")


@dossier_app.command("modifier")
def modifier(fichier: Path = typer.Argument(..., help="Le dossier complété (même référence)."),
             auteur: str = OPTION_AUTEUR) -> None:
    """Remplace les données d'un dossier ouvert ; ses évaluations passées restent dans l'historique."""
    donnees = _un_dossier(fichier)
    app = application()
    with refus_en_message():
        erreurs = services.modifier(app.unite_de_travail(), app.guichet, donnees, agent(auteur))
    if erreurs:
        _afficher_erreurs(erreurs)
    typer.echo(f"{donnees['reference']} : données mises à jour (réévaluez le dossier)")


@dossier_app.command("liste")
def liste(etat: Optional[str] = typer.Option(None, "--etat", help=f"Filtrer : {', '.join(ETATS)}.")) -> None:
    """Les dossiers enregistrés, par référence."""
    if etat is not None and etat not in ETATS:
        arreter(f"--etat : état inconnu « {etat} » ; possibles : {', '.join(ETATS)}")
    with refus_en_message():
        resumes = services.lister(application().unite_de_travail(), agent(), etat)
    if resumes:
        typer.echo(f"{'Référence':<14} {'État':<18} {'Dernier avis calculé':<24} {'Porteur':<30} Titre")
    for r in resumes:
        typer.echo(f"{r.reference:<14} {LIBELLES_ETATS[r.etat]:<18} {r.dernier_avis or 'non évalué':<24} "
                   f"{couper(r.porteur or '', 30):<30} {r.titre or ''}")
    typer.echo(pluriel(len(resumes), "dossier"))


@dossier_app.command("voir")
def voir(reference: str, format: str = typer.Option("texte", "--format", help="texte ou json")) -> None:
    """L'état d'un dossier et son historique : transitions, évaluations, corrections, décisions (heure de Paris)."""
    if format not in ("texte", "json"):
        arreter(f"--format : format inconnu « {format} » ; possibles : texte, json")
    with refus_en_message():
        dossier = services.consulter(application().unite_de_travail(), reference, agent())
    if format == "json":
        typer.echo(json.dumps(vues.historique(dossier), ensure_ascii=False, indent=2))
        return
    typer.echo(f"{reference} — {LIBELLES_ETATS[dossier.etat]} — {dossier.donnees.projet.titre or 'sans titre'}")
    for t in dossier.transitions:
        typer.echo(f"  {heure_locale(t.quand):%Y-%m-%d %H:%M} {t.de or '·'} → {t.vers} par {t.auteur} : {t.motif}")
    for e in dossier.evaluations:
        typer.echo(f"  évaluation n° {e.numero} du {heure_locale(e.quand):%Y-%m-%d %H:%M} ({e.version_regles}) : "
                   f"{e.resultat.avis}")
    for c in dossier.corrections:
        drapeau = " [À REVOIR : " + c.motif_revue + "]" if c.a_revoir else (" [retirée]" if c.retiree else "")
        typer.echo(f"  correction n° {c.numero} ({c.genre} {c.cible or ''}) → {c.valeur} par {c.auteur} : "
                   f"{c.justification}{drapeau}")
    for d in dossier.decisions:
        typer.echo(f"  décision {d.financeur} : {d.decision} ({d.comite or 'hors comité'}) — {d.motif}")


@dossier_app.command("evaluer")
def evaluer(reference: str, date_imposee: Optional[str] = typer.Option(None, "--date", help="Règles de cette date."),
            auteur: str = OPTION_AUTEUR) -> None:
    """Évalue le dossier et ajoute l'évaluation à son historique."""
    jour = lire_date(date_imposee)
    app = application()
    with refus_en_message():
        evaluation = services.evaluer(app.unite_de_travail(), app.guichet, reference, agent(auteur), jour)
    resultat = evaluation.resultat
    typer.echo(f"{reference} : évaluation n° {evaluation.numero}, avis {resultat.avis}, "
               f"orientation {', '.join(resultat.orientation) or 'aucune'}")
    if resultat.informations_manquantes:
        typer.echo(f"  à compléter : {', '.join(resultat.informations_manquantes)}")


@dossier_app.command("etat")
def etat(reference: str, vers: str = typer.Argument(..., help=f"Le nouvel état : {', '.join(ETATS)}."),
         motif: str = typer.Option(..., "--motif", help="Pourquoi (obligatoire)."),
         auteur: str = OPTION_AUTEUR) -> None:
    """Fait passer le dossier dans un autre état (chaque passage est enregistré)."""
    if vers not in ETATS:
        arreter(f"état inconnu « {vers} » ; possibles : {', '.join(ETATS)}")
    with refus_en_message():
        services.changer_etat(application().unite_de_travail(), reference, vers, agent(auteur), motif)
    typer.echo(f"{reference} : {LIBELLES_ETATS[vers]}")


@dossier_app.command("corriger")
def corriger(reference: str,
             statut: Optional[str] = typer.Option(None, "--statut", help="FINANCEUR=STATUT, ex. region_hdf=eligible"),
             avis: Optional[str] = typer.Option(None, "--avis", help="Le nouvel avis."),
             ajouter: Optional[str] = typer.Option(None, "--ajouter-constat", help="Le texte d'un constat ajouté."),
             financeur: Optional[str] = typer.Option(None, "--financeur", help="Le financeur du constat ajouté."),
             ecarter: Optional[str] = typer.Option(None, "--ecarter-constat", help="L'identifiant de la règle."),
             justification: str = typer.Option(..., "--justification", help="Pourquoi (obligatoire)."),
             auteur: str = OPTION_AUTEUR) -> None:
    """Corrige le calcul : un statut, l'avis, ou un constat ajouté ou écarté ; le calcul reste visible à côté."""
    demandes = [x for x in (statut, avis, ajouter, ecarter) if x is not None]
    if len(demandes) != 1:
        arreter("une correction à la fois : --statut, --avis, --ajouter-constat ou --ecarter-constat")
    if statut is not None:
        cible, _, valeur = statut.partition("=")
        genre = "statut"
        if not valeur:
            arreter(f"--statut : FINANCEUR=STATUT attendu, reçu « {statut} »")
    elif avis is not None:
        genre, cible, valeur = "avis", None, avis
    elif ajouter is not None:
        genre, cible, valeur = "constat_ajoute", financeur, ajouter
    else:
        genre, cible, valeur = "constat_ecarte", ecarter, ""
    with refus_en_message():
        correction = services.corriger(application().unite_de_travail(), reference, genre, cible, valeur,
                                       justification, agent(auteur))
    typer.echo(f"{reference} : correction n° {correction.numero} enregistrée (calcul : "
               f"{correction.valeur_calculee or '—'})")


@dossier_app.command("revoir")
def revoir(reference: str, numero: int,
           maintenir_: bool = typer.Option(False, "--maintenir", help="Maintenir la correction."),
           retirer: bool = typer.Option(False, "--retirer", help="Retirer la correction."),
           justification: str = typer.Option(..., "--justification", help="Pourquoi (obligatoire)."),
           auteur: str = OPTION_AUTEUR) -> None:
    """Maintient ou retire une correction (par exemple une correction signalée « à revoir »)."""
    if maintenir_ == retirer:
        arreter("--maintenir ou --retirer : l'un des deux, pas les deux ni aucun")
    maintenir = maintenir_
    with refus_en_message():
        services.revoir_correction(application().unite_de_travail(), reference, numero, maintenir,
                                   agent(auteur), justification)
    typer.echo(f"{reference} : correction n° {numero} {'maintenue' if maintenir else 'retirée'}")


def avis(dossier: str = typer.Argument(..., help="La référence d'un dossier enregistré, ou un fichier JSON/CSV."),
         sortie: Path = typer.Option(..., "--output", help="avis.pdf ou avis.html"),
         date_imposee: Optional[str] = typer.Option(None, "--date", help="Pour un fichier : règles de cette date."),
         ) -> None:
    """Écrit l'avis technique d'un dossier en PDF ou en HTML."""
    if sortie.suffix.lower() not in (".pdf", ".html", ".htm"):
        arreter(f"--output : extension « {sortie.suffix} » inconnue ; possibles : .pdf, .html")
    app = application()
    maintenant = app.horloge()
    with refus_en_message():
        if Path(dossier).is_file():
            vm, erreurs = documents.avis_d_un_fichier(app.guichet, _un_dossier(Path(dossier)), agent(),
                                                      lire_date(date_imposee), maintenant)
            if vm is None:
                _afficher_erreurs(erreurs)
        elif date_imposee is not None:
            arreter("--date ne vaut que pour un fichier : un dossier enregistré a son avis (pour une autre date : "
                    f"guichet dossier evaluer {dossier} --date …)")
        else:
            vm = documents.avis_d_un_dossier(app.unite_de_travail(), app.guichet, dossier, agent(), maintenant)
    ecrire_document(vm, sortie, "avis")
    typer.echo(f"Avis technique de {vm['reference']} écrit dans {sortie}")
