"""`python bench/comite.py` : un comité technique de 200 dossiers, évalué et exporté en PDF et en XLSX.

Deux chemins, chronométrés séparément (cible : moins de 20 s chacun, sur cette machine) :
  1. la commande du contrat, `guichet comite evaluate FICHIER --output rapport.pdf` puis `.xlsx`
     (deux processus, démarrage compris) ;
  2. la réunion enregistrée : import de la liste dans une base SQLite (dépôt, évaluation, inscription,
     une transaction), évaluation du comité avec ses contrôles croisés, rapport en PDF et en XLSX.
Ce sont des mesures, pas des tests : rien n'échoue si c'est lent.
"""
import json
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != RACINE / "bench"]
sys.path.insert(0, str(RACINE))

from api.bootstrap import controles as controles_du_comite  # noqa: E402
from api.bootstrap import guichet as nouveau_guichet  # noqa: E402
from api.rendu.documents import ecrire_rapport  # noqa: E402
from bench.generateur import generer  # noqa: E402
from instruction.acces import Agent  # noqa: E402
from instruction.comite import services as services_comite  # noqa: E402
from instruction.storage import UniteDeTravailSql, creer_moteur, mettre_a_jour  # noqa: E402

CONTROLES = controles_du_comite()

PAR_BENCH = Agent.local("bench")
PAR_TEST = Agent.local("test")
NOMBRE = 200
CIBLE_SECONDES = 20.0
GUICHET_CLI = RACINE / ".venv" / "bin" / "guichet"
JOUR = date(2025, 12, 11)


def _dossiers_lys_artois(nombre: int) -> list[dict]:
    """Des dossiers générés, datés d'avant la réunion (un comité examine des dossiers déjà déposés)."""
    _, dossiers = generer(nombre)
    for d in dossiers:
        d["date_depot"] = min(d.get("date_depot") or "2025-06-01", "2025-11-30")
    return dossiers


def par_la_commande(dossier: Path, liste: Path) -> dict[str, float]:
    temps = {}
    for extension in ("pdf", "xlsx"):
        debut = time.perf_counter()
        sortie = subprocess.run([str(GUICHET_CLI), "comite", "evaluate", str(liste), "--date", JOUR.isoformat(),
                                 "--output", str(dossier / f"rapport.{extension}")], capture_output=True, text=True)
        temps[extension] = time.perf_counter() - debut
        if sortie.returncode not in (0, 3):
            raise SystemExit(f"guichet comite evaluate a échoué : {sortie.stderr}")
    return temps


def par_la_base(dossier: Path, dossiers: list[dict]) -> dict[str, float]:
    url = f"sqlite:///{dossier / 'bench.sqlite'}"
    mettre_a_jour(url)
    uow, guichet = UniteDeTravailSql(creer_moteur(url)), nouveau_guichet()
    territoire = guichet.territoire
    code = services_comite.creer_comite(uow, territoire, PAR_TEST, JOUR, "lys_artois").code
    temps, debut = {}, time.perf_counter()
    services_comite.importer(uow, guichet, code, dossiers, PAR_BENCH)
    temps["import (dépôt, évaluation, inscription)"] = time.perf_counter() - debut
    etape = time.perf_counter()
    services_comite.evaluer_comite(uow, guichet, CONTROLES, code, PAR_BENCH)
    temps["évaluation du comité et contrôles croisés"] = time.perf_counter() - etape
    etape = time.perf_counter()
    vm = services_comite.rapport(uow, guichet, CONTROLES, code, PAR_TEST)
    temps["rapport (lecture et modèle de vue)"] = time.perf_counter() - etape
    for extension in ("pdf", "xlsx"):
        etape = time.perf_counter()
        ecrire_rapport(vm, dossier / f"base.{extension}")
        temps[f"export {extension.upper()}"] = time.perf_counter() - etape
    temps["total"] = time.perf_counter() - debut
    return temps


def main() -> None:
    dossiers = _dossiers_lys_artois(NOMBRE)
    with tempfile.TemporaryDirectory(prefix="guichet-bench-comite-") as temporaire:
        dossier = Path(temporaire)
        liste = dossier / "comite.json"
        liste.write_text(json.dumps(dossiers, ensure_ascii=False), encoding="utf-8")
        print(f"== Comité de {NOMBRE} dossiers (cible : < {CIBLE_SECONDES:g} s) ==")
        commande = par_la_commande(dossier, liste)
        total = sum(commande.values())
        for extension, secondes in commande.items():
            print(f"  guichet comite evaluate → {extension.upper():<4} {secondes:6.1f} s (processus entier)")
        print(f"  commande, PDF + XLSX                {total:6.1f} s  {'✓' if total < CIBLE_SECONDES else '✗'}")
        base = par_la_base(dossier, dossiers)
        for etape, secondes in base.items():
            marque = ("✓" if secondes < CIBLE_SECONDES else "✗") if etape == "total" else ""
            print(f"  base SQLite : {etape:<42} {secondes:6.1f} s  {marque}")


if __name__ == "__main__":
    main()
