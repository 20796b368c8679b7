"""`python bench/stockage.py` : débit du stockage (dépôt et évaluation de dossiers) sur SQLite et PostgreSQL.

Pour chaque base, `mesurer(url, n)` :
  1. dépose n dossiers générés (`bench/generateur.py`) par les dépôts, une transaction par lot de 100 ;
  2. en dépose encore quelques-uns un par un par le cas d'usage `services.deposer` (une transaction chacun) ;
  3. évalue les n dossiers par lots : verrou, `guichet.evaluer_lot`, évaluations enregistrées, une transaction
     par lot de 100 ;
  4. réévalue 200 dossiers un par un par `services.evaluer` (une transaction chacun, le chemin de l'API) ;
  5. liste tous les dossiers (une requête).
Le temps de l'évaluation seule (sans base) est donné à côté, pour séparer le coût du stockage de celui
des règles. Ce sont des mesures, pas des tests : rien n'échoue si c'est lent.
"""
import argparse
import sys
import tempfile
import time
import uuid
from datetime import datetime, timezone
from itertools import islice
from pathlib import Path
from typing import Any, Iterable, Iterator

RACINE = Path(__file__).resolve().parent.parent
# `python bench/stockage.py` puts bench/ first on the path: put the project root there instead.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != RACINE / "bench"]
sys.path.insert(0, str(RACINE))

from api.bootstrap import guichet as nouveau_guichet  # noqa: E402
from bench.generateur import generer  # noqa: E402
from instruction.acces import Agent  # noqa: E402
from instruction.dossiers import services  # noqa: E402
from instruction.dossiers.dossier_instruit import DossierInstruit  # noqa: E402
from instruction.storage import UniteDeTravailSql, creer_moteur, mettre_a_jour  # noqa: E402
from instruction.storage.connexion import masquer  # noqa: E402

LOT = 100
UNITAIRES = 200
AUTEUR = "bench"


def paquets(elements: Iterable[Any], taille: int) -> Iterator[list[Any]]:
    iterateur = iter(elements)
    while paquet := list(islice(iterateur, taille)):
        yield paquet


def chrono(travail) -> float:
    debut = time.perf_counter()
    travail()
    return time.perf_counter() - debut


def mesurer(url: str, n: int = 1000) -> dict:
    """Les débits (dossiers/s) du dépôt et de l'évaluation par les dépôts SQL sur la base de `url`, migrée ici."""
    mettre_a_jour(url)
    moteur = creer_moteur(url)
    guichet = nouveau_guichet("python")
    unitaires = min(UNITAIRES, n)
    _, realistes = generer(n + unitaires)
    en_lot, un_par_un = realistes[:n], realistes[n:]
    dossiers = []
    for donnees in en_lot:
        dossier, erreurs = guichet.valider(donnees)
        if dossier is None:
            raise SystemExit(f"bench : dossier généré invalide {donnees['reference']} : {erreurs}")
        dossiers.append(dossier)
    references = [d.reference for d in dossiers]
    uow = UniteDeTravailSql(moteur)
    instant = datetime.now(timezone.utc)

    def deposer_par_lots():
        for paquet in paquets(dossiers, LOT):
            with uow:
                for dossier in paquet:
                    uow.dossiers.ajouter(DossierInstruit.creer(dossier, AUTEUR, instant))
                uow.valider()

    def deposer_un_par_un():
        for donnees in un_par_un:
            services.deposer(uow, guichet, donnees, Agent.local(AUTEUR))

    def evaluer_par_lots():
        for paquet in paquets(references, LOT):
            with uow:
                instruits = [uow.dossiers.obtenir(r, pour_modifier=True) for r in paquet]
                resultats = guichet.evaluer_lot([d.donnees.model_dump(mode="json") for d in instruits])
                quand = datetime.now(timezone.utc)
                for instruit, resultat in zip(instruits, resultats):
                    services.evaluer_et_ajouter(instruit, resultat, None, AUTEUR, quand)
                    uow.dossiers.enregistrer(instruit)
                services.conserver_regles(uow, guichet.base)
                uow.valider()

    def evaluer_un_par_un():
        for reference in references[:unitaires]:
            services.evaluer(uow, guichet, reference, Agent.local(AUTEUR))

    def lister():
        with uow:
            assert len(uow.dossiers.lister()) == n + unitaires

    try:
        donnees_json = [d.model_dump(mode="json") for d in dossiers]
        sans_base = chrono(lambda: list(guichet.evaluer_lot(donnees_json)))
        mesures = {"depot_par_lots": chrono(deposer_par_lots), "depot_un_par_un": chrono(deposer_un_par_un),
                   "evaluation_par_lots": chrono(evaluer_par_lots),
                   "evaluation_un_par_un": chrono(evaluer_un_par_un), "lister": chrono(lister)}
    finally:
        moteur.dispose()
    return {
        "base": moteur.dialect.name, "url": masquer(url), "n": n, "unitaires": unitaires,
        "depot_par_lots_par_s": n / mesures["depot_par_lots"],
        "depot_un_par_un_par_s": unitaires / mesures["depot_un_par_un"],
        "evaluation_par_lots_par_s": n / mesures["evaluation_par_lots"],
        "evaluation_un_par_un_par_s": unitaires / mesures["evaluation_un_par_un"],
        "evaluation_sans_base_par_s": n / sans_base,
        "lister_ms": mesures["lister"] * 1000,
    }


def afficher(mesure: dict) -> None:
    def ligne(libelle: str, valeur: float, unite: str = "dossiers/s") -> None:
        nombre = f"{valeur:,.0f}".replace(",", " ")
        print(f"  {libelle:<62} {nombre:>8} {unite}")
    print(f"\n== {mesure['base']} — {mesure['url']} — {mesure['n']} dossiers ==")
    ligne(f"dépôt, par lots de {LOT} (une transaction par lot)", mesure["depot_par_lots_par_s"])
    ligne(f"dépôt, un par transaction ({mesure['unitaires']}, services.deposer)", mesure["depot_un_par_un_par_s"])
    ligne(f"évaluation, par lots de {LOT} (verrou + evaluer_lot)", mesure["evaluation_par_lots_par_s"])
    ligne(f"évaluation, une par transaction ({mesure['unitaires']}, services.evaluer)",
          mesure["evaluation_un_par_un_par_s"])
    ligne("  pour comparaison : évaluation seule, sans base", mesure["evaluation_sans_base_par_s"])
    ligne(f"lister les {mesure['n'] + mesure['unitaires']} dossiers (une requête)", mesure["lister_ms"], "ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1000, help="nombre de dossiers (défaut : 1000)")
    parser.add_argument("--url", help="une seule base à mesurer (elle doit être vide)")
    arguments = parser.parse_args()
    if arguments.url:
        afficher(mesurer(arguments.url, arguments.n))
        return
    with tempfile.TemporaryDirectory(prefix="guichet-bench-") as dossier:
        afficher(mesurer(f"sqlite:///{dossier}/guichet.sqlite", arguments.n))
    from tests.integration.serveur_postgres import ServeurPostgres, creer_base, url_postgres_externe
    if externe := url_postgres_externe():
        afficher(mesurer(creer_base(externe, f"bench_{uuid.uuid4().hex[:12]}"), arguments.n))
        return
    with ServeurPostgres() as serveur:
        afficher(mesurer(serveur.nouvelle_base("bench"), arguments.n))


if __name__ == "__main__":
    main()
