"""La commande `guichet` : évaluer des dossiers, exporter et vérifier les règles, instruire les dossiers,
préparer et tenir le comité technique.

Codes de sortie : 0 tout est fait, 3 des dossiers invalides (les autres sont traités), 2 commande,
fichier ou demande inutilisable. Aucune trace d'exception n'atteint l'utilisateur.
"""
import difflib
import gc
import json
import os
import re
import sys
from datetime import date
from pathlib import Path
from typing import Any, NoReturn, Optional

import typer

from api import bootstrap, demo
from api.cli.comite import comite_app
from api.cli.commun import application, arreter, lire_date, refus_en_message
from api.cli.dossier import avis, db_app, dossier_app
from api.cli.opendata import opendata_app
from api.cli.parallele import evaluer_en_json
from api.cli.regles import rules_impact
from api.cli.serve import serve
from api.cli.utilisateur import jeton_app, utilisateur_app
from api.lecture import FichierIllisible, dossier_de, lire_dossiers
from api.rendu.tableau import tableau
from forms.libelles import nombre, pluriel
from instruction.evaluation import regles
from instruction.evaluation.resultat import EvaluationInvalide
from rules.erreurs import ErreursRegles

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, no_args_is_help=True,
                  help="Guichet : pré-diagnostic et avis technique des projets touristiques.")
regles_app = typer.Typer(no_args_is_help=True, help="La base de règles : export et vérification.")
app.add_typer(regles_app, name="rules")
regles_app.command("impact")(rules_impact)
app.add_typer(db_app, name="db")
app.add_typer(dossier_app, name="dossier")
app.add_typer(comite_app, name="comite")
app.add_typer(utilisateur_app, name="utilisateur")
app.add_typer(jeton_app, name="jeton")
app.command("avis")(avis)
app.command("serve")(serve)
app.add_typer(opendata_app, name="opendata")


@app.command("evaluate")
def evaluate(
    fichier: Path = typer.Argument(..., help="Un dossier (JSON), plusieurs (tableau JSON ou JSON Lines) ou un CSV."),
    format: str = typer.Option("json", "--format", help="json ou table"),
    date_imposee: Optional[str] = typer.Option(None, "--date", help="Juger selon les règles en vigueur à cette date."),
    moteur: str = typer.Option("auto", "--engine", help="auto, python ou durable"),
) -> None:
    """Évalue des dossiers et écrit les évaluations dans l'ordre d'entrée."""
    if format not in ("json", "table"):
        arreter(f"--format : format inconnu « {format} » ; possibles : json, table")
    jour = lire_date(date_imposee)
    guichet = application(moteur).guichet
    try:
        # JSON Lines are read line by line where they are evaluated: on every core, in parallel.
        dossiers = lire_dossiers(fichier, differer=True)
    except FichierIllisible as exc:
        arreter(str(exc))
    # The input and the rulebase live until the end: keep the collector from rescanning them. Evaluating
    # creates no reference cycle (none found over valid, invalid and unreadable dossiers), so the cyclic
    # collector would only rescan the batch and the evaluator's memos: a fifth of the run. It stays off
    # in this short-lived process and in its workers (forked from it); reference counting frees the rest.
    gc.freeze()
    gc.disable()
    if format == "json":
        total, invalides = _ecrire_json(evaluer_en_json(guichet, dossiers, jour))
    else:
        evaluations = list(guichet.evaluer_lot(map(dossier_de, dossiers), jour))
        typer.echo(tableau(evaluations))
        total, invalides = len(evaluations), sum(1 for e in evaluations if isinstance(e, EvaluationInvalide))
    if invalides:
        typer.echo(f"guichet : {pluriel(invalides, 'dossier invalide')} sur {nombre(total)}", err=True)
        raise typer.Exit(3)


def _ecrire_json(evaluations, sortie=None) -> tuple[int, int]:
    """Un tableau JSON, une évaluation par ligne, écrite dès qu'elle est prête (mémoire constante).

    Interrompu (Ctrl-C), le tableau est refermé après la dernière évaluation écrite : la sortie reste du
    JSON lisible, et le code de sortie 130 dit qu'il manque la suite."""
    total = invalides = 0
    sys.stdout.flush()
    sortie = sortie or sys.stdout.buffer
    ecrire = sortie.write
    ecrire(b"[")
    try:
        for texte, invalide in evaluations:
            ecrire((b"\n" if total == 0 else b",\n") + texte)
            total += 1
            invalides += invalide
    except KeyboardInterrupt:
        try:
            ecrire(b"\n]\n" if total else b"]\n")
            sortie.flush()
        except OSError:
            pass  # the reader is gone too: nothing left to close
        raise
    ecrire(b"\n]\n" if total else b"]\n")
    sortie.flush()
    return total, invalides


@regles_app.command("export")
def rules_export(
    format: str = typer.Option("json", "--format", help="json"),
    date_imposee: Optional[str] = typer.Option(
        None, "--date", help="Règles en vigueur à cette date (défaut : aujourd'hui)."),
    toutes: bool = typer.Option(False, "--toutes", help="Toutes les règles, quelle que soit leur période."),
) -> None:
    """Exporte les règles en vigueur (à --date, aujourd'hui par défaut) en JSON."""
    if format != "json":
        arreter(f"--format : format inconnu « {format} » ; possible : json")
    jour = lire_date(date_imposee) or date.today()
    with refus_en_message():
        base = bootstrap.base_de_regles()
    json.dump(regles.exporter(base, jour, toutes), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


@regles_app.command("check")
def rules_check(
    dossier: Optional[Path] = typer.Option(None, "--dir", help="Dossier des fichiers de règles à vérifier."),
    sources: Optional[Path] = typer.Option(None, "--sources", help="Dossier des textes sources cités."),
) -> None:
    """Valide les fichiers de règles, leurs citations et leurs exemples ; affiche chaque problème."""
    try:
        base = bootstrap.lire_regles(dossier)
    except ErreursRegles as exc:
        for erreur in exc.erreurs:
            typer.echo(str(erreur))
        arreter(f"{pluriel(len(exc.erreurs), 'problème')} dans les fichiers de règles")
    with refus_en_message():
        problemes = regles.verifier(base, bootstrap.controles(), bootstrap.territoire(), sources)
    for probleme in problemes:
        typer.echo(probleme)
    if problemes:
        arreter(f"{pluriel(len(problemes), 'problème')} : citations ou exemples")
    exemples = sum(len(r.exemples) for r in base.regles)
    typer.echo(f"{pluriel(len(base.regles), 'règle valide')}, citations vérifiées (règles et contrôles du comité), "
               f"{pluriel(exemples, 'exemple conforme')}.")


@app.command("demo")
def charger_demo() -> None:
    """Charge les données de démonstration (dossiers à divers stades, comité Lys Artois) dans la base."""
    with refus_en_message():
        uow = bootstrap.unite_de_travail()
        etat = demo.etat(uow)
        if etat == "complete":
            # A database loaded before accounts existed gets them now; existing accounts are left as they are.
            typer.echo(f"Démonstration déjà chargée (comité {demo.COMITE}) ; {demo.comptes_de_demonstration(uow)}.")
            return
        if etat == "partielle":
            arreter("un chargement précédent de la démonstration s'est interrompu : videz la base (supprimez le "
                    "fichier SQLite du dossier de données) puis relancez « guichet demo »")
        appli = application()
        journal = demo.charger(uow, appli.guichet, appli.controles)
    for ligne in journal:
        typer.echo(ligne)


CODE_INTERRUPTION = 130  # 128 + SIGINT, what a shell reports for a program stopped by Ctrl-C
CODE_TUBE_FERME = 141  # 128 + SIGPIPE, what `cat` or `yes` report when `| head` has read enough


def main() -> None:
    from api.cli.aide import franciser  # imported here: the registrations above stay as they are

    franciser()
    sortie_nulle = _sortie_nulle()
    try:
        # prog_name: help and hints name « guichet » even when run as `python -m api`.
        code = app(prog_name="guichet", standalone_mode=False)  # Typer turns Ctrl-C into Exit(130)
        sys.stdout.flush()  # a reader that left shows here, not in the interpreter's last words
    except KeyboardInterrupt:  # before or after Typer's own handling (imports, the flush)
        code = CODE_INTERRUPTION
    except BrokenPipeError:
        _quitter_en_silence()
    except SystemExit as exc:
        # Typer answers a closed pipe by wrapping the streams and exiting 1, Rich (the help) by sending
        # standard output to /dev/null and exiting 1: make both the silent 141.
        if type(sys.stdout).__name__ == "PacifyFlushWrapper" or (
                exc.code == 1 and not sortie_nulle and _sortie_nulle()):
            _quitter_en_silence()
        raise
    except Exception as exc:
        if hasattr(exc, "format_message") and hasattr(exc, "exit_code"):
            # A usage error (Typer vendors its own click): one French line and exit 2, as the contract says.
            if type(exc).__name__ != "NoArgsIsHelpError":  # the help was just printed
                typer.echo(f"guichet : {_erreur_d_usage(exc)}", err=True)
            sys.exit(2)
        typer.echo(f"guichet : erreur interne : {exc}", err=True)  # last guard: never a traceback
        sys.exit(2)
    if code == CODE_INTERRUPTION:
        typer.echo("guichet : interrompu", err=True)
    sys.exit(code if isinstance(code, int) else 0)


def _sortie_nulle() -> bool:
    try:
        return os.path.samestat(os.fstat(sys.__stdout__.fileno()), os.stat(os.devnull))
    except (OSError, ValueError, AttributeError):
        return False


def _quitter_en_silence() -> NoReturn:
    """Le lecteur est parti (`guichet … | head`) : s'arrêter sans un mot, comme les outils du système."""
    try:
        # What is still buffered goes nowhere, instead of a « BrokenPipeError » at the interpreter's exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.__stdout__.fileno())
    except (OSError, ValueError, AttributeError):
        pass
    sys.exit(CODE_TUBE_FERME)


# Pydantic's codes for the values Typer could not convert; other codes keep their English message.
_ATTENDUS = {"int_parsing": "un nombre entier est attendu", "int_from_float": "un nombre entier est attendu",
             "float_parsing": "un nombre est attendu", "bool_parsing": "true ou false est attendu"}


def _erreur_d_usage(exc: Exception) -> str:
    """L'erreur d'usage de click en une ligne française, avec l'aide de la sous-commande en cause."""
    ctx = getattr(exc, "ctx", None) or _contexte_analyse(exc)
    message = f"{_traduire(exc, ctx)} (voir {ctx.command_path if ctx else 'guichet'} --help)"
    # Values come from the command line: a control character in one must not break the single line.
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in message)


def _traduire(exc: Any, ctx: Any) -> str:
    # By class name: the same for click and for the copy Typer vendors, whichever is installed.
    classes = {c.__name__ for c in type(exc).__mro__}
    param, indice = getattr(exc, "param", None), getattr(exc, "param_hint", None)
    if "MissingParameter" in classes and (param or indice):
        nature = exc.param_type or getattr(param, "param_type_name", "")
        if nature == "argument":
            return f"argument manquant : {_nom(param, indice)}"
        return f"option obligatoire manquante : {_nom(param, indice)}"
    if "BadParameter" in classes and (param or indice):
        return f"valeur invalide pour {_nom(param, indice)}{_detail(exc)}"
    if "NoSuchOption" in classes:
        proches = f" ; vouliez-vous dire {', '.join(exc.possibilities)} ?" if exc.possibilities else ""
        return f"option inconnue : {exc.option_name}{proches}"
    if "BadOptionUsage" in classes:
        option = next((p for p in getattr(getattr(ctx, "command", None), "params", ())
                       if exc.option_name in (*p.opts, *p.secondary_opts)), None)
        if option is not None and (getattr(option, "is_flag", False) or getattr(option, "count", False)):
            return f"l'option {exc.option_name} ne prend pas de valeur"
        if option is not None:
            return f"l'option {exc.option_name} attend " + ("une valeur" if option.nargs == 1
                                                          else f"{option.nargs} valeurs")
    # ctx.fail() raises a bare UsageError: its text is all there is, for these two a mistyped line gives.
    texte = exc.format_message()
    if trop := re.fullmatch(r"Got unexpected extra arguments?(?:\(s\))? \((.*)\)", texte):
        return f"argument{'s' if ' ' in trop[1] else ''} en trop : {trop[1]}"
    if inconnue := re.fullmatch(r"No such command (.+?)\.(?: Did you mean .*)?", texte):
        nom = inconnue[1].strip("'\"")
        commandes = ctx.command.list_commands(ctx) if ctx is not None and hasattr(ctx.command, "list_commands") else []
        proches = difflib.get_close_matches(nom, commandes)
        return f"commande inconnue : {nom}" + (f" ; vouliez-vous dire {', '.join(proches)} ?" if proches else "")
    if texte == "Missing command.":
        return "commande manquante"
    return f"commande mal formée ({texte})"  # an error not foreseen: said honestly, with click's own words


def _nom(param: Any, indice: Any) -> str:
    """L'option comme on la tape (--maintenir/--retirer), l'argument comme l'aide l'écrit (REFERENCE)."""
    if param is None:
        return " / ".join([indice] if isinstance(indice, str) else indice).replace("'", "")
    if param.param_type_name == "argument":
        return (param.metavar or param.name or "?").upper()
    longue = max(param.opts, key=len) if param.opts else param.name
    return "/".join([longue, *param.secondary_opts])


def _detail(exc: Any) -> str:
    """La valeur refusée et ce qui était attendu, d'après l'erreur de pydantic que Typer enveloppe."""
    erreurs = exc.__cause__.errors() if hasattr(exc.__cause__, "errors") else []
    if not erreurs or "input" not in erreurs[0]:
        return f" ({exc.message})"
    attendu = _ATTENDUS.get(erreurs[0].get("type"), erreurs[0].get("msg") or exc.message)
    return f" : « {erreurs[0]['input']} » ({attendu})"


def _contexte_analyse(exc: Exception) -> Any:
    """Le contexte de la commande qui analysait la ligne quand l'erreur est née."""
    # The parser raises BadOptionUsage without its context: the innermost frame holding one has it.
    contexte, trace = None, exc.__traceback__
    while trace is not None:
        candidat = trace.tb_frame.f_locals.get("ctx")
        if hasattr(candidat, "command_path") and hasattr(candidat, "command"):
            contexte = candidat
        trace = trace.tb_next
    return contexte
