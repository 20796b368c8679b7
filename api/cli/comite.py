"""Les commandes du comité technique : `guichet comite …`."""
import json
import sys
from pathlib import Path
from typing import Optional

import typer

from api import bootstrap
from api.cli.commun import OPTION_AUTEUR, agent, application, arreter, ecrire_document, lire_date, refus_en_message
from api.cli.progression import Progression
from api.lecture import FichierIllisible, lire_dossiers
from forms.libelles import nombre, pluriel
from forms.textes import visible
from instruction.comite import services as services_comite
from instruction.comite.reunion import Membre
from instruction.dossiers import services
from instruction.dossiers.cycle import DECISIONS
from rules.base import BaseDeRegles

comite_app = typer.Typer(no_args_is_help=True, help="Le comité technique : ordre du jour, évaluation, décisions.")
FORMATS = (".html", ".pdf", ".xlsx", ".csv")


def _verifier_sortie(sortie: Path) -> None:
    if sortie.suffix.lower() not in FORMATS:
        arreter(f"--output : extension « {sortie.suffix} » inconnue ; possibles : {', '.join(FORMATS)}")


def _lire(fichier: Path) -> list:
    try:
        return lire_dossiers(fichier)
    except FichierIllisible as exc:
        arreter(str(exc))


def _signaler_invalides(erreurs: list[dict], total: int) -> None:
    for e in erreurs:
        detail = "; ".join(f"{x['champ']} : {x['message']}" for x in e["erreurs"])
        reference = visible(e["reference"]) if e["reference"] else "sans référence"  # the file's text, shown safe
        typer.echo(f"guichet : entrée {e['position']} ({reference}) écartée : {detail}", err=True)
    if erreurs:
        typer.echo(f"guichet : {pluriel(len(erreurs), 'dossier invalide')} sur {nombre(total)}", err=True)


@comite_app.command("evaluate")
def evaluate(fichier: Path = typer.Argument(..., help="La liste des dossiers (JSON, JSON Lines, CSV ou XLSX)."),
             sortie: Path = typer.Option(..., "--output", help="Le rapport : .html, .pdf, .xlsx ou .csv"),
             date_imposee: Optional[str] = typer.Option(None, "--date", help="Règles en vigueur à cette date."),
             contrat: Optional[str] = typer.Option(None, "--contrat", help="Le contrat du comité (sinon déduit)."),
             moteur: str = typer.Option("auto", "--engine", help="auto, python ou durable")) -> None:
    """Évalue la liste d'une réunion d'un bloc, fait les contrôles croisés, écrit le rapport ; rien n'est enregistré."""
    _verifier_sortie(sortie)
    jour = lire_date(date_imposee)
    app = application(moteur)
    dossiers = _lire(fichier)
    with refus_en_message():
        vm = services_comite.evaluer_liste(app.guichet, app.controles, dossiers, agent(), jour, contrat, Progression())
    ecrire_document(vm, sortie, "comite")
    typer.echo(f"Rapport du comité écrit dans {sortie} ({pluriel(len(vm['lignes']), 'dossier évalué')})")
    _signaler_invalides(vm["erreurs"], len(dossiers))
    if vm["erreurs"]:
        raise typer.Exit(3)


@comite_app.command("creer")
def creer(date_comite: str = typer.Option(..., "--date", help="La date de la réunion (AAAA-MM-JJ)."),
          contrat: str = typer.Option("lys_artois", "--contrat", help="Le contrat de destination."),
          code: Optional[str] = typer.Option(None, "--code", help="Le code du comité (défaut : contrat-date)."),
          membres: Optional[list[str]] = typer.Option(
              None, "--membre", help="« Structure=Représentant », répétable (défaut : les structures de l'art. 5.2)."),
          ) -> None:
    """Crée une réunion du comité technique d'un contrat."""
    jour = lire_date(date_comite)
    liste = [Membre(*_membre(m)) for m in membres] if membres else None
    app = application()
    with refus_en_message():
        comite = services_comite.creer_comite(app.unite_de_travail(), app.territoire, agent(), jour, contrat, code,
                                              liste)
    typer.echo(f"Comité « {comite.code} » créé ({pluriel(len(comite.membres), 'membre')})")


def _membre(texte: str, option: str = "--membre") -> tuple[str, str]:
    structure, egal, representant = texte.partition("=")
    if not egal or not structure.strip():
        arreter(f"{option} : « Structure=Représentant » attendu, reçu « {texte} »")
    return structure.strip(), representant.strip()


@comite_app.command("presence")
def presence(code: str,
             presents: Optional[list[str]] = typer.Option(None, "--present", help="« Structure=Représentant »."),
             absents: Optional[list[str]] = typer.Option(None, "--absent", help="La structure absente."),
             auteur: str = OPTION_AUTEUR) -> None:
    """Note la feuille de présence de la réunion (art. 5.2), pour le procès-verbal."""
    feuille = {s: (r, True) for s, r in (_membre(p, "--present") for p in presents or ())}
    for structure in absents or ():
        if not structure.strip() or structure.strip() in feuille:
            arreter(f"--absent : « {structure} » vide, ou déjà noté présent")
        feuille[structure.strip()] = ("", False)
    if not feuille:
        arreter("donnez au moins un --present ou un --absent")
    with refus_en_message():
        comite = services_comite.noter_presence(application().unite_de_travail(), code, feuille, agent(auteur))
    presents_ = sum(1 for m in comite.membres if m.present)
    typer.echo(f"Comité « {code} » : {pluriel(presents_, 'présent')} sur {pluriel(len(comite.membres), 'structure')}")


@comite_app.command("liste")
def liste() -> None:
    """Les réunions enregistrées."""
    with refus_en_message():
        comites = services_comite.lister_comites(application().unite_de_travail(), agent())
    for c in comites:
        typer.echo(f"{c.code:<28} {c.date.isoformat()}  {c.contrat:<22} {pluriel(len(c.ordre_du_jour), 'dossier')}")
    typer.echo(pluriel(len(comites), "comité"))


@comite_app.command("importer")
def importer(code: str, fichier: Path = typer.Argument(..., help="La liste (JSON, JSON Lines, CSV ou XLSX)."),
             date_imposee: Optional[str] = typer.Option(None, "--date", help="Règles en vigueur à cette date."),
             auteur: str = OPTION_AUTEUR) -> None:
    """Dépose, évalue et inscrit à l'ordre du jour chaque dossier valide de la liste (une transaction)."""
    jour = lire_date(date_imposee)
    dossiers = _lire(fichier)
    app = application()
    with refus_en_message():
        resultat = services_comite.importer(app.unite_de_travail(), app.guichet, code, dossiers, agent(auteur), jour,
                                            Progression())
    typer.echo(f"{pluriel(len(resultat.importes), 'dossier importé et inscrit')} au comité « {code} »")
    _signaler_invalides(resultat.erreurs, len(dossiers))
    if resultat.erreurs:
        raise typer.Exit(3)


@comite_app.command("inscrire")
def inscrire(code: str, references: list[str], auteur: str = OPTION_AUTEUR) -> None:
    """Inscrit à l'ordre du jour des dossiers dont l'avis est rendu, dans cet ordre."""
    with refus_en_message():
        services_comite.inscrire(application().unite_de_travail(), code, references, agent(auteur))
    typer.echo(f"{pluriel(len(references), 'dossier inscrit')} au comité « {code} »")


@comite_app.command("retirer")
def retirer(code: str, reference: str, motif: str = typer.Option(..., "--motif", help="Pourquoi (obligatoire)."),
            auteur: str = OPTION_AUTEUR) -> None:
    """Retire un dossier de l'ordre du jour (il revient à « avis rendu »)."""
    with refus_en_message():
        services_comite.retirer(application().unite_de_travail(), code, reference, agent(auteur), motif)
    typer.echo(f"{reference} retiré de l'ordre du jour du comité « {code} »")


@comite_app.command("evaluer")
def evaluer(code: str, date_imposee: Optional[str] = typer.Option(None, "--date", help="Règles de cette date."),
            auteur: str = OPTION_AUTEUR) -> None:
    """Réévalue tout l'ordre du jour d'un bloc et refait les contrôles croisés."""
    jour = lire_date(date_imposee)
    app = application()
    with refus_en_message():
        comite = services_comite.evaluer_comite(app.unite_de_travail(), app.guichet, app.controles, code, agent(auteur),
                                                jour, Progression())
    typer.echo(f"Comité « {code} » : {pluriel(len(comite.ordre_du_jour), 'dossier évalué')}, "
               f"{pluriel(len(comite.controles), 'contrôle croisé')}")
    for c in comite.controles:
        typer.echo(f"  [{c['gravite']}] {c['titre']} : {', '.join(c['dossiers'])}")


@comite_app.command("decision")
def decision(code: str, reference: str,
             financeurs: list[str] = typer.Option(..., "--financeur", help="FINANCEUR=DECISION, répétable."),
             motif: str = typer.Option(..., "--motif", help="Le motif de la décision."),
             auteur: str = OPTION_AUTEUR) -> None:
    """Enregistre la décision du comité pour un dossier, financeur par financeur."""
    decisions = {}
    for f in financeurs:
        nom, _, valeur = f.partition("=")
        if not valeur:
            arreter(f"--financeur : FINANCEUR=DECISION attendu ({', '.join(DECISIONS)}), reçu « {f} »")
        if nom.strip() in decisions:
            arreter(f"--financeur : {nom.strip()} est donné deux fois")
        decisions[nom.strip()] = valeur.strip()
    with refus_en_message():
        services_comite.decider(application().unite_de_travail(), code, reference, decisions, motif, agent(auteur))
    typer.echo(f"{reference} : décision enregistrée ({', '.join(f'{k} {v}' for k, v in decisions.items())})")


@comite_app.command("rapport")
def rapport(code: str, sortie: Path = typer.Option(..., "--output", help=".html, .pdf, .xlsx ou .csv")) -> None:
    """Écrit le rapport d'une réunion : synthèse, ordre du jour, contrôles, totaux, relevé des décisions."""
    _verifier_sortie(sortie)
    app = application()
    with refus_en_message():
        vm = services_comite.rapport(app.unite_de_travail(), app.guichet, app.controles, code, agent())
    ecrire_document(vm, sortie, "comite")
    typer.echo(f"Rapport du comité « {code} » écrit dans {sortie}")


@comite_app.command("compare")
def compare(code: str, date_imposee: Optional[str] = typer.Option(None, "--date", help="Rejouer à cette date."),
            regles: Optional[Path] = typer.Option(None, "--regles", help="Un dossier de fichiers de règles."),
            version: Optional[str] = typer.Option(None, "--version", help="Une version déjà employée (sha256:…)."),
            format: str = typer.Option("table", "--format", help="table ou json")) -> None:
    """Et si ? Rejoue l'ordre du jour à une autre date ou sous d'autres règles et montre ce qui change."""
    if format not in ("table", "json"):
        arreter(f"--format : format inconnu « {format} » ; possibles : table, json")
    if regles and version is not None:
        arreter("--regles ou --version, pas les deux")
    if version is not None and not version.strip():
        arreter("--version : donnez une version déjà employée (sha256:…), voir guichet dossier voir")
    jour = lire_date(date_imposee)
    with refus_en_message():
        uow = bootstrap.unite_de_travail()
        base = _base(uow, regles, version)
        app = application(base=base)
        changements = services_comite.comparer_comite(app.unite_de_travail(), app.guichet, code, agent(), jour)
    if format == "json":
        json.dump(changements, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    for c in changements:
        if not c["change"]:
            typer.echo(f"{c['reference']:<14} inchangé")
            continue
        morceaux = []
        if c.get("erreurs"):
            morceaux.append("invalide : " + "; ".join(e["message"] for e in c["erreurs"]))
        if c["avis"]:
            morceaux.append(f"avis {c['avis']['avant'] or '—'} → {c['avis']['apres']}")
        morceaux += [f"{f['financeur']} {f['avant'] or '—'} → {f['apres']}" for f in c["financeurs"]]
        if c["manquants_ajoutes"]:
            morceaux.append("à compléter : " + ", ".join(c["manquants_ajoutes"]))
        typer.echo(f"{c['reference']:<14} " + " ; ".join(morceaux))
    changent = sum(c["change"] for c in changements)
    typer.echo(f"{nombre(changent)} sur {pluriel(len(changements), 'dossier')} "
               f"{'changent' if changent > 1 else 'change'}")


def _base(uow, regles: Optional[Path], version: Optional[str]) -> Optional[BaseDeRegles]:
    if version is not None:
        return services.base_de_version(uow, version)
    if regles:
        if not regles.is_dir():
            arreter(f"--regles : « {regles} » n'est pas un dossier")
        return bootstrap.charger_regles(regles)
    return None
