"""`guichet serve` : les pages et l'API sur la base des autres commandes (SQLite par défaut, DATABASE_URL sinon).

Refuse de démarrer, en une ligne (code 2), quand le schéma de la base n'est pas celui du code : servir sur une
base non migrée donnerait des pages en erreur au premier dossier ouvert. Ctrl-C arrête proprement.
"""
import gc

import typer

from api import bootstrap
from api.cli.commun import arreter, refus_en_message


def serve(
    hote: str = typer.Option("127.0.0.1", "--host", help="Adresse d'écoute (127.0.0.1 : cette machine seulement)."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port d'écoute."),
) -> None:
    """Sert les pages web et l'API JSON (/api/v1) ; Ctrl-C pour arrêter."""
    with refus_en_message():  # not migrated, or unreachable: one line, which says what to run
        bootstrap.verifier_schema()
    import uvicorn  # the web stack loads only for this command

    from api.web.app import creer_app
    from api.web.dependances import ContexteIndisponible, contexte_par_defaut

    try:
        app = creer_app(contexte_par_defaut())
    except ContexteIndisponible as exc:
        arreter(str(exc))
    # What start-up loaded (rules, territory, templates: 130 000 objects) lives as long as the server. Out of the
    # cyclic collector's reach, a full collection no longer rescans it: that pause (~200 ms) was the p99 of
    # `make bench-web`.
    gc.freeze()
    serveur = uvicorn.Server(uvicorn.Config(app, host=hote, port=port, log_level="info", server_header=False))
    typer.echo(f"Guichet : http://{hote}:{port}/ (Ctrl-C pour arrêter)", err=True)
    try:
        serveur.run()
    except KeyboardInterrupt:
        pass  # uvicorn has already shut down cleanly; it re-raises Ctrl-C only so that callers may know
    except SystemExit:  # uvicorn's way out when it cannot listen (port taken, address unknown…)
        arreter(f"le serveur n'a pas pu écouter sur {hote}:{port} (port déjà pris ou adresse invalide)")
    typer.echo("Guichet : serveur arrêté.", err=True)
