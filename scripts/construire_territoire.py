"""Construit `instruction/data/territoire.json` (communes, EPCI, départements des Hauts-de-France).

La source est le paquet npm `@etalab/decoupage-administratif` (COG de l'INSEE et
BANATIC) : un paquet versionné plutôt qu'une API, pour que le fichier produit soit
reproductible et que sa version soit citée. Usage : `python scripts/construire_territoire.py`.
"""
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PAQUET = "@etalab/decoupage-administratif"
REGION = "32"
CIBLE = Path(__file__).resolve().parents[1] / "instruction" / "data" / "territoire.json"


class ErreurConstruction(Exception):
    pass


def telecharger(dossier: Path) -> Path:
    npm = shutil.which("npm")
    if npm is None:
        raise ErreurConstruction("npm est introuvable : installez Node.js et npm")
    try:
        sortie = subprocess.run([npm, "pack", PAQUET, "--loglevel=error"], cwd=dossier,
                                capture_output=True, text=True, timeout=300)
    except subprocess.TimeoutExpired:
        raise ErreurConstruction(
            f"npm pack {PAQUET} n'a pas répondu en 5 minutes (réseau ?)") from None
    archives = sorted(dossier.glob("*.tgz"))
    if sortie.returncode != 0 or not archives:
        raise ErreurConstruction(f"npm pack {PAQUET} a échoué (réseau ?) : {_cause(sortie.stderr)}")
    return archives[0]


def _cause(stderr: str) -> str:
    # npm étale une erreur sur plusieurs lignes (code, errno, pile) : on garde la première parlante.
    lignes = [ligne.removeprefix("npm error").strip() for ligne in stderr.splitlines()
              if ligne.startswith("npm error")]
    bruit = ("code ", "syscall ", "errno ", "at ", "A complete log")
    parlantes = [ligne for ligne in lignes if ligne and not ligne.startswith(bruit)]
    return (parlantes or lignes or ["sans message"])[0]


def lire_paquet(archive: Path, dossier: Path) -> dict:
    with tarfile.open(archive, "r:gz") as tar:
        # Le filtre « data » refuse les chemins absolus et les liens qui sortiraient du dossier.
        tar.extractall(dossier, filter="data")
    racine = dossier / "package"
    lus = {}
    for nom in ("package", "data/communes", "data/epci", "data/departements"):
        chemin = racine / f"{nom}.json"
        if not chemin.is_file():
            raise ErreurConstruction(f"le paquet ne contient pas {nom}.json : format inattendu")
        lus[nom.split("/")[-1]] = json.loads(chemin.read_text(encoding="utf-8"))
    return lus


def extraire_region(lus: dict) -> dict:
    departements = {d["code"]: d["nom"] for d in lus["departements"] if d.get("region") == REGION}
    communes = {c["code"]: c for c in lus["communes"]
                if c.get("type") == "commune-actuelle" and c.get("region") == REGION}
    epci_de: dict[str, str] = {}
    epci: dict[str, dict] = {}
    for groupement in lus["epci"]:
        membres = [m["code"] for m in groupement.get("membres", []) if m["code"] in communes]
        if not membres:
            continue
        # Un EPCI interrégional ne garde que ses départements HDF : le reste est hors périmètre.
        epci[groupement["code"]] = {
            "nom": groupement["nom"],
            "departements": sorted({communes[m]["departement"] for m in membres}),
        }
        for m in membres:
            epci_de[m] = groupement["code"]
    return {
        "source": {"paquet": PAQUET, "version": lus["package"]["version"]},
        "departements": departements,
        "epci": epci,
        "communes": {code: [c["nom"], c["departement"], epci_de.get(code)]
                     for code, c in communes.items()},
    }


def main() -> int:
    try:
        with tempfile.TemporaryDirectory(prefix="territoire-") as tmp:
            dossier = Path(tmp)
            territoire = extraire_region(lire_paquet(telecharger(dossier), dossier))
    except ErreurConstruction as e:
        print(f"erreur : {e}", file=sys.stderr)
        return 2
    except (OSError, tarfile.TarError, json.JSONDecodeError, KeyError) as e:
        print(f"erreur : lecture du paquet {PAQUET} impossible ({type(e).__name__}: {e})",
              file=sys.stderr)
        return 2
    CIBLE.parent.mkdir(parents=True, exist_ok=True)
    texte = json.dumps(territoire, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    CIBLE.write_text(texte + "\n", encoding="utf-8")
    sans_epci = sum(1 for c in territoire["communes"].values() if c[2] is None)
    print(f"{CIBLE.name} : {len(territoire['communes'])} communes, {len(territoire['epci'])} EPCI, "
          f"{len(territoire['departements'])} départements, {sans_epci} communes sans EPCI, "
          f"{CIBLE.stat().st_size} octets ({PAQUET} {territoire['source']['version']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
