"""L'aide de `guichet --help` en français.

Typer et la copie de click qu'il embarque n'ont pas de traduction française : leurs mots (« Usage: »,
« Show this message and exit. », « Commands », « [required] »…) sont remplacés ici, une fois, au démarrage.
Les erreurs d'usage, elles, sont traduites par `api.cli.app` d'après leur classe.
"""
import re
from typing import Any, Callable

import typer.core
import typer.rich_utils
from typer import _click

UTILISATION = "Utilisation : "
AIDE = "Affiche cette aide."

# Typer's gettext words, by their English text; words not listed (usage errors) are kept, since
# api.cli.app recognises them to say them in French.
MOTS = {
    "Arguments": "Arguments",
    "Options": "Options",
    "Commands": "Commandes",
    "Error": "Erreur",
    "Aborted.": "Interrompu.",
    "Aborted!": "Interrompu.",
    "[required]": "[obligatoire]",
    "required": "obligatoire",
    "[default: {}]": "[défaut : {}]",
    "default: {default}": "défaut : {default}",
    "[env var: {}]": "[variable d'environnement : {}]",
    "env var: {var}": "variable d'environnement : {var}",
    "(deprecated) ": "(obsolète) ",
    "(dynamic)": "(calculé)",
    "Try [blue]'{command_path} {help_option}'[/] for help.": "Voir [blue]« {command_path} {help_option} »[/].",
}
# The names of the value types Typer shows between < and >.
TYPES = {"str": "texte", "text": "texte", "path": "chemin", "file": "fichier", "dir": "dossier",
         "bool": "oui/non", "boolean": "oui/non", "int": "entier", "integer": "entier", "float": "nombre",
         "list": "liste", "choice": "choix", "datetime": "date", "range": "intervalle"}
_CONSTANTES = ("ARGUMENTS_PANEL_TITLE", "OPTIONS_PANEL_TITLE", "COMMANDS_PANEL_TITLE", "ERRORS_PANEL_TITLE",
               "ABORTED_TEXT", "REQUIRED_LONG_STRING", "DEFAULT_STRING", "ENVVAR_STRING", "DEPRECATED_STRING",
               "RICH_HELP")


def traduire(mot: str) -> str:
    return MOTS.get(mot, mot)


def _type_en_francais(texte: Any) -> Any:
    if not isinstance(texte, str):
        return texte
    return re.sub(r"[A-Za-z]+", lambda m: TYPES.get(m.group().lower(), m.group()), texte)


class FormateurFrancais(_click.formatting.HelpFormatter):
    """« Utilisation : guichet evaluate [OPTIONS] FICHIER » ; « COMMANDE [ARGUMENTS]... » pour un groupe."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        args = args.replace("COMMAND [ARGS]...", "COMMANDE [ARGUMENTS]...")
        super().write_usage(prog, args, UTILISATION if prefix is None else prefix)


def _aide_en_francais(origine: Callable) -> Callable:
    def get_help_option(self: Any, ctx: Any) -> Any:
        option = origine(self, ctx)
        if option is not None:
            option.help = AIDE  # click writes its help option's text in English, outside gettext
        return option
    return get_help_option


def _types_en_francais(origine: Callable) -> Callable:
    def display_type(self: Any, ctx: Any) -> Any:
        if getattr(self, "is_flag", False):
            return None  # a flag takes no value: « <bool> » beside --help would say it does
        return _type_en_francais(origine(self, ctx))
    return display_type


def franciser() -> None:
    """Met l'aide de Typer en français ; sans effet la deuxième fois."""
    if getattr(typer.core, "_guichet_francise", False):
        return
    typer.core._guichet_francise = True
    # The words looked up at call time (gettext's _), then those read once at import into constants.
    typer.core._ = traduire
    typer.rich_utils._ = traduire
    for nom in _CONSTANTES:
        if hasattr(typer.rich_utils, nom):
            setattr(typer.rich_utils, nom, traduire(getattr(typer.rich_utils, nom)))
    # The highlighter colours the usage prefix by its English word: teach it the French one.
    typer.rich_utils.OptionHighlighter.highlights = [
        *typer.rich_utils.OptionHighlighter.highlights, r"(?P<usage>Utilisation : )"]
    _click.core.Context.formatter_class = FormateurFrancais
    _click.core.Command.get_help_option = _aide_en_francais(_click.core.Command.get_help_option)
    typer.core._TyperParameter.display_type = _types_en_francais(typer.core._TyperParameter.display_type)
