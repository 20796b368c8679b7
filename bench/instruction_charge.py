"""`python bench/instruction_charge.py [-n 100000]` : le bureau des services sur un PostgreSQL de 100 000 dossiers.

Le banc lance un PostgreSQL 15 jetable (`tests/integration/serveur_postgres.py` ; `DATABASE_URL` pour un serveur
à soi), y crée une base migrée, et :
  1. dépose n dossiers réalistes tirés d'une graine fixe (`bench/generateur.py`), par lots de 1 000 ;
  2. les évalue tous par lots de 100 (`instruction.dossiers.lots.evaluer_lot` : chargement du lot sans ses
     évaluations antérieures, évaluation d'un bloc, enregistrement groupé) : le débit de la première évaluation ;
  3. répartit les dossiers entre les états et marque quelques corrections « à revoir » (en SQL : des données
     de banc, pas un chemin du domaine) ;
  4. réévalue 10 000 dossiers par lots (chacun compte alors ses évaluations passées) : le débit « en lot » ;
  5. réévalue 1 000 dossiers un par un par `services.evaluer` (une transaction chacun : le chemin d'un travail
     par lot lancé depuis la page) ;
  6. mesure la page de la liste (`GET /instruction/dossiers`, application en processus, rendu compris) pour
     des filtres et tris représentatifs, chacun 15 fois : médiane et 95e centile ;
  7. mesure la page d'un dossier (`GET /instruction/dossiers/{reference}`) sur 100 dossiers, et `consulter`.
Ce sont des mesures, pas des tests : rien n'échoue si c'est lent ; les cibles sont rappelées à côté.
"""
import argparse
import gc
import os
import random
import statistics
import sys
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path
from types import SimpleNamespace

RACINE = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != RACINE / "bench"]
sys.path.insert(0, str(RACINE))

from sqlalchemy import text  # noqa: E402

from api.bootstrap import guichet as nouveau_guichet  # noqa: E402
from bench.generateur import generer  # noqa: E402
from bench.stockage import chrono, paquets  # noqa: E402
from instruction.acces import Agent  # noqa: E402
from instruction.dossiers import lots, services  # noqa: E402
from instruction.dossiers.dossier_instruit import DossierInstruit  # noqa: E402
from instruction.storage import UniteDeTravailSql, creer_moteur, mettre_a_jour  # noqa: E402
from instruction.storage.connexion import masquer  # noqa: E402

AUTEUR = Agent.local("bench")
LOT = 100
REEVALUES = 10_000
UN_PAR_UN = 1_000
REPETITIONS = 15
CIBLES = {"liste_p95_ms": 300, "dossier_p95_ms": 200, "lot_par_s": 2000}


def _centile(durees: list[float], q: float) -> float:
    ordonnees = sorted(durees)
    return ordonnees[min(len(ordonnees) - 1, int(round(q * (len(ordonnees) - 1))))]


def deposer(moteur, guichet, n: int) -> list[str]:
    _, realistes = generer(n)
    uow = UniteDeTravailSql(moteur)
    instant = datetime.now(timezone.utc)
    references = []
    for paquet in paquets(realistes, 1000):
        with uow:
            for donnees in paquet:
                dossier, erreurs = guichet.valider(donnees)
                if dossier is None:
                    raise SystemExit(f"bench : dossier généré invalide {donnees['reference']} : {erreurs}")
                uow.dossiers.ajouter(DossierInstruit.creer(dossier, AUTEUR.auteur, instant))
                references.append(dossier.reference)
            uow.valider()
    return references


def evaluer_par_lots(moteur, guichet, references: list[str]) -> float:
    uow = UniteDeTravailSql(moteur)

    def travail():
        for paquet in paquets(references, LOT):
            issues = lots.evaluer_lot(uow, guichet, paquet, AUTEUR)
            assert all(i.reussi for i in issues), [i for i in issues if not i.reussi][:3]
    return len(references) / chrono(travail)


def evaluer_un_par_un(moteur, guichet, references: list[str]) -> float:
    uow = UniteDeTravailSql(moteur)
    return len(references) / chrono(lambda: [services.evaluer(uow, guichet, r, AUTEUR) for r in references])


def diversifier(moteur, references: list[str]) -> list[str]:
    """Des états variés et des corrections à revoir, pour que les filtres aient de quoi trier (données de banc) ;
    rend les références des dossiers encore ouverts (ni décidés ni classés : ils se réévaluent)."""
    hasard = random.Random(15)
    etats = ["depose"] * 30 + ["en_instruction"] * 30 + ["avis_rendu"] * 20 + ["inscrit_comite"] * 10 + \
        ["decide"] * 7 + ["classe_sans_suite"] * 3
    par_etat: dict[str, list[str]] = {}
    for reference in references:
        par_etat.setdefault(hasard.choice(etats), []).append(reference)
    with moteur.begin() as connexion:
        for etat, refs in par_etat.items():
            if etat != "depose":
                connexion.execute(text("UPDATE dossiers SET etat = :etat WHERE reference = ANY(:refs)"),
                                  {"etat": etat, "refs": refs})
        connexion.execute(text("UPDATE dossiers SET corrections_a_revoir = 1 WHERE reference = ANY(:refs)"),
                          {"refs": hasard.sample(references, len(references) // 100)})
        connexion.execute(text("ANALYZE"))
    return [r for etat, refs in par_etat.items() if etat not in ("decide", "classe_sans_suite") for r in refs]


def client_instructeur(moteur, guichet):
    from api.web.app import creer_app
    from instruction.comptes import services as comptes
    from instruction.comptes.mots_de_passe import Hacheur
    from tests.e2e.banc_comptes import client, connecter

    contexte = SimpleNamespace(guichet=guichet, territoire=guichet.territoire, hacheur=Hacheur.rapide(),
                               unite_de_travail=lambda: UniteDeTravailSql(moteur))
    assert comptes.creer_compte(contexte.unite_de_travail(), AUTEUR, "instructeur@bench.fr", "instructeur",
                                "motdepasse-du-banc", "Banc", hacheur=contexte.hacheur) == []
    navigateur = client(creer_app(contexte))
    assert connecter(navigateur, "instructeur@bench.fr", "motdepasse-du-banc").status_code == 303
    return navigateur


def requetes_de_la_liste(references: list[str]) -> dict[str, str]:
    return {
        "sans filtre (dépôt décroissant)": "",
        "état en instruction": "etat=en_instruction",
        "avis favorable": "avis=favorable",
        "Région éligible et LEADER prioritaire": "statut_region_hdf=eligible&statut_leader=prioritaire",
        "commune (Béthune)": "commune=B%C3%A9thune",
        "EPCI (CABBALR)": "epci=200072460",
        "contrat Lys Artois": "contrat=lys_artois",
        "dates de dépôt (un trimestre)": "depose_du-jour=1&depose_du-mois=4&depose_du-annee=2025"
                                         "&depose_au-jour=30&depose_au-mois=6&depose_au-annee=2025",
        "corrections à revoir": "a_revoir=oui",
        "texte libre (« camping »)": "q=camping",
        "texte libre (une référence)": f"q={references[len(references) // 2]}",
        "tri par porteur": "tri=porteur&sens=croissant",
        "tri par avis, page 200": "tri=avis&sens=croissant&page=200",
        "100 par page, page 500": "par_page=100&page=500",
        "état + avis + EPCI + texte": "etat=avis_rendu&avis=favorable_sous_reserve&epci=200072460&q=commune",
    }


def mesurer_liste(navigateur, references: list[str]) -> dict[str, tuple[float, float]]:
    mesures = {}
    for nom, requete in requetes_de_la_liste(references).items():
        durees = []
        for _ in range(REPETITIONS):
            debut = time.perf_counter()
            reponse = navigateur.get(f"/instruction/dossiers?{requete}")
            durees.append((time.perf_counter() - debut) * 1000)
            assert reponse.status_code == 200, (nom, reponse.status_code, reponse.text[:500])
        mesures[nom] = (statistics.median(durees), _centile(durees, 0.95), durees)
    return mesures


def mesurer_dossier(navigateur, moteur, references: list[str]) -> dict[str, float]:
    hasard = random.Random(7)
    choisis = hasard.sample(references, 100)
    page, consulter = [], []
    uow = UniteDeTravailSql(moteur)
    for reference in choisis:
        debut = time.perf_counter()
        reponse = navigateur.get(f"/instruction/dossiers/{reference}")
        page.append((time.perf_counter() - debut) * 1000)
        debut = time.perf_counter()
        services.consulter(uow, reference, AUTEUR)
        consulter.append((time.perf_counter() - debut) * 1000)
    return {"page_statut": reponse.status_code, "page_p50": statistics.median(page), "page_p95": _centile(page, 0.95),
            "consulter_p50": statistics.median(consulter), "consulter_p95": _centile(consulter, 0.95)}


def mesurer(url: str, n: int) -> None:
    mettre_a_jour(url)
    moteur = creer_moteur(url)
    guichet = nouveau_guichet("python")
    # As `guichet serve` does once started (api/cli/serve.py): what start-up loaded is out of the collector's reach.
    gc.freeze()
    charge = " ; ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\n== Bureau des services — PostgreSQL {masquer(url)} — {n} dossiers ==")
    print(f"  ({os.cpu_count()} cœurs ; charge moyenne de la machine au départ : {charge} — les durées sont des "
          "temps réels, qu'une machine partagée allonge)")
    debut = time.perf_counter()
    references = deposer(moteur, guichet, n)
    print(f"  dépôt de {n} dossiers (lots de 1 000)                         {time.perf_counter() - debut:8.1f} s")
    premier = evaluer_par_lots(moteur, guichet, references)
    print(f"  première évaluation de tous, par lots de {LOT}                     {premier:8,.0f} dossiers/s"
          .replace(",", " "))
    ouverts = diversifier(moteur, references)
    hasard = random.Random(3)
    en_lot = evaluer_par_lots(moteur, guichet, hasard.sample(ouverts, min(REEVALUES, len(ouverts))))
    print(f"  réévaluation de {min(REEVALUES, n)} dossiers par lots de {LOT} (cible ≥ {CIBLES['lot_par_s']})"
          f"       {en_lot:8,.0f} dossiers/s".replace(",", " "))
    un_par_un = evaluer_un_par_un(moteur, guichet, hasard.sample(ouverts, min(UN_PAR_UN, len(ouverts))))
    print(f"  réévaluation une par transaction ({min(UN_PAR_UN, n)}, services.evaluer, travaux)  "
          f"{un_par_un:8,.0f} dossiers/s".replace(",", " "))
    navigateur = client_instructeur(moteur, guichet)
    liste = mesurer_liste(navigateur, references)
    toutes = [d for _, _, durees in liste.values() for d in durees]
    print(f"  page de la liste, {len(liste)} requêtes × {REPETITIONS} (médiane / p95, cible p95 < "
          f"{CIBLES['liste_p95_ms']} ms) :")
    for nom, (mediane, p95, _) in liste.items():
        print(f"    {nom:<52} {mediane:6.0f} / {p95:4.0f} ms")
    print(f"    {'toutes requêtes confondues':<52} {statistics.median(toutes):6.0f} / {_centile(toutes, 0.95):4.0f} ms")
    dossier = mesurer_dossier(navigateur, moteur, references)
    print(f"  page d'un dossier, 100 dossiers (HTTP {dossier['page_statut']}, cible p95 < "
          f"{CIBLES['dossier_p95_ms']} ms)  {dossier['page_p50']:6.0f} / {dossier['page_p95']:4.0f} ms")
    print(f"  services.consulter (chargement complet)                   {dossier['consulter_p50']:6.1f} / "
          f"{dossier['consulter_p95']:4.1f} ms")
    moteur.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=100_000, help="nombre de dossiers (défaut : 100 000)")
    arguments = parser.parse_args()
    from tests.integration.serveur_postgres import ServeurPostgres, creer_base, url_postgres_externe
    if externe := url_postgres_externe():
        mesurer(creer_base(externe, f"bench_{uuid.uuid4().hex[:12]}"), arguments.n)
        return
    with ServeurPostgres() as serveur:
        mesurer(serveur.nouvelle_base("bureau"), arguments.n)


if __name__ == "__main__":
    main()
